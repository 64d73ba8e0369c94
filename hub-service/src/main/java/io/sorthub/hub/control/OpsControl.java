package io.sorthub.hub.control;

import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.OpsRecord;
import io.sorthub.hub.ops.Bags;
import io.sorthub.hub.ops.HubOps;
import io.sorthub.hub.ops.OpsChange;
import io.sorthub.hub.ops.Overrides;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.kit.time.Clocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An operator's changes to the operations tables: holds, overrides, re-keys, bags. Each is
 * checked, journaled (record type 10) and in force once the writer applied it after the
 * force, which is when the call returns: a restart, or a hub pair's standby, puts back
 * exactly what was in force. Blocking: call it off the event loops. Arguments are checked by
 * the caller (the HTTP API) with {@link OpsChange}'s checks; this class checks what needs the
 * hub's state (the plan's outlets).
 */
public final class OpsControl {
    private static final Logger LOG = LoggerFactory.getLogger(OpsControl.class);
    /** The furthest an override may reach: a forgotten one must not steer parcels for months. */
    public static final long MAX_OVERRIDE_MS = TimeUnit.DAYS.toMillis(7);

    private final HubOps ops;
    private final JournalProxy journal;
    private final SortPlanHolder plans;
    private final Clocks clocks;

    /** @param clocks overrides' windows (epoch ms) and records' times (epoch ns) */
    public OpsControl(HubOps ops, JournalProxy journal, SortPlanHolder plans, Clocks clocks) {
        this.clocks = clocks;
        this.ops = ops;
        this.journal = journal;
        this.plans = plans;
    }

    public HubOps ops() {
        return ops;
    }

    /** One hold of a bulk load. */
    public record Hold(String barcode, String reason) {
    }

    /**
     * Put barcodes on hold, in records of {@link OpsChange#LINES_PER_RECORD}; with
     * {@code replace}, they replace the list: loaded aside and put in force whole by a last
     * record, so the list in force is never half-loaded (a load cut short, by a failure or a
     * restart, leaves the old list; the caller is told and loads again).
     *
     * @return holds on the list afterwards
     */
    public synchronized int hold(List<Hold> holds, boolean replace, String actor) {
        if (replace) {
            journal(OpsChange.Op.CLEAR_HOLDS, "", actor);
        }
        final OpsChange.Op op = replace ? OpsChange.Op.LOAD_HOLDS : OpsChange.Op.HOLD;
        final StringBuilder lines = new StringBuilder();
        int inRecord = 0;
        for (Hold hold : holds) {
            lines.append(OpsChange.hold(hold.barcode(), hold.reason()));
            if (++inRecord == OpsChange.LINES_PER_RECORD) {
                journal(op, lines.toString(), actor);
                lines.setLength(0);
                inRecord = 0;
            }
        }
        if (inRecord > 0) {
            journal(op, lines.toString(), actor);
        }
        if (replace) {
            journal(OpsChange.Op.COMMIT_HOLDS, Integer.toString(holds.size()), actor);
        }
        if (holds.size() > 1 || replace) {
            LOG.info("hold list: {} barcodes {} by {}; {} on hold", holds.size(), replace ? "loaded in place of the list" : "added",
                actor, ops.holds().size());
        }
        return ops.holds().size();
    }

    /** @return false when the barcode was not on hold (nothing journaled) */
    public synchronized boolean release(String barcode, String actor) {
        if (!ops.holds().contains(barcode)) {
            return false;
        }
        journal(OpsChange.Op.RELEASE, barcode + '\n', actor);
        return true;
    }

    /**
     * Send a parcel (by barcode) or a destination to {@code outlet} until {@code untilMs}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public synchronized void override(Overrides.Scope scope, String key, int outlet, long untilMs, String actor) {
        if (!plans.current().hasOutlet(outlet)) {
            throw new IllegalArgumentException("outlet " + outlet + " is not an outlet of the sort plan in force");
        }
        final long now = clocks.epoch().time();
        if (untilMs <= now || untilMs > now + MAX_OVERRIDE_MS) {
            throw new IllegalArgumentException("until must be in the future and at most 7 days ahead");
        }
        journal(OpsChange.Op.OVERRIDE, OpsChange.override(scope, key, outlet, untilMs), actor);
        LOG.info("override: {} {} to outlet {} until {}, by {}", scope.name().toLowerCase(java.util.Locale.ROOT), key,
            outlet, java.time.Instant.ofEpochMilli(untilMs), actor);
    }

    /** @return false when there was no such override (nothing journaled) */
    public synchronized boolean cancelOverride(Overrides.Scope scope, String key, String actor) {
        if (ops.overrides().find(scope, key, clocks.epoch().time()) == null) {
            return false;
        }
        journal(OpsChange.Op.CANCEL_OVERRIDE, OpsChange.cancelOverride(scope, key), actor);
        return true;
    }

    /** Bind a sorter's parcel id to the barcode an operator keyed for it. */
    public synchronized void rekey(String parcelId, String barcode, String actor) {
        journal(OpsChange.Op.REKEY, OpsChange.rekey(parcelId, barcode), actor);
    }

    /**
     * Open bag {@code bagId} at {@code outlet}, sealing the one open there.
     *
     * @return the bag sealed by this, or null
     * @throws IllegalArgumentException when the outlet is not the plan's, or the bag id is taken
     */
    public synchronized Bags.Bag openBag(int outlet, String bagId, String actor) {
        if (!plans.current().hasOutlet(outlet)) {
            throw new IllegalArgumentException("outlet " + outlet + " is not an outlet of the sort plan in force");
        }
        final Bags.Bag existing = ops.bags().find(bagId);
        if (existing != null) {
            throw new IllegalArgumentException("bag " + bagId + " was opened before (at outlet " + existing.outlet()
                + "); a bag id is used once");
        }
        final Bags.Bag before = ops.bags().openAt(outlet);
        journal(OpsChange.Op.OPEN_BAG, OpsChange.bag(outlet, bagId), actor);
        return before == null ? null : ops.bags().find(before.id());
    }

    /** @return the bag sealed, or null when none was open at the outlet (nothing journaled) */
    public synchronized Bags.Bag sealBag(int outlet, String actor) {
        final Bags.Bag open = ops.bags().openAt(outlet);
        if (open == null) {
            return null;
        }
        journal(OpsChange.Op.SEAL_BAG, OpsChange.bag(outlet, open.id()), actor);
        return ops.bags().find(open.id());
    }

    private void journal(OpsChange.Op op, String payload, String actor) {
        final CompletableFuture<Long> done = journal.append(OpsRecord.encode(op.code, payload, actor,
            clocks.epochNanos().nanoTime()));
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while journaling " + op.label());
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not journal " + op.label() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not journal " + op.label() + " within 10 s");
        }
    }
}
