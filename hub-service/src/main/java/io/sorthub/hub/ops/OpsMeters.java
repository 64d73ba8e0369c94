package io.sorthub.hub.ops;

import io.sorthub.hub.metrics.HubMetrics;
import org.agrona.concurrent.EpochClock;

/** The operations tables' figures, read at scrape time; registered once, at start. */
public final class OpsMeters {
    private OpsMeters() {
    }

    public static void register(HubMetrics metrics, HubOps ops, EpochClock clock) {
        metrics.counter("sorthub_interceptions", "Parcels sent to the intercept outlet because their barcode is on the hold list",
            ops::interceptions);
        metrics.counter("sorthub_overrides_applied", "Decisions changed by a supervisor's override", ops::overridden);
        metrics.counter("sorthub_rekeyed_decisions", "Sort requests of unread parcels routed by the barcode an operator re-keyed",
            ops::rekeyed);
        metrics.counter("sorthub_ops_changes_unreadable",
            "Operator changes in the journal this hub could not apply (each skipped and logged)", ops::changesUnreadable);
        metrics.gauge("sorthub_holds", "Barcodes on the hold list", () -> ops.holds().size());
        metrics.gauge("sorthub_overrides", "Overrides in force", () -> ops.overrides().inForce(clock.time()));
        metrics.gauge("sorthub_rekeys", "Parcel ids bound to a re-keyed barcode and still remembered", () -> ops.rekeys().size());
        metrics.gauge("sorthub_bags_open", "Chutes with an open bag", () -> ops.bags().openCount());
        metrics.gauge("sorthub_parcels_awaiting_confirmation", "Parcels decided whose confirmation is still awaited",
            () -> ops.confirmations().pending());
    }
}
