package io.sorthub.hub.journal;

import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.metrics.HubMetrics;

/** The journal writer's, its queue's and the parcel index's meters, registered once the writer exists. */
public final class JournalMeters {
    private JournalMeters() {
    }

    public static void register(HubMetrics metrics, JournalProxy proxy, JournalAgent agent, ChronicleJournalWriter writer,
                                ParcelIndex parcels, StartReplay replay) {
        metrics.gauge("sorthub_journal_queue_bytes", "Bytes waiting in the queue to the journal writer",
            proxy::queuedBytes);
        metrics.counter("sorthub_journal_control_refused", "Control tasks (plan, outlet, audit) refused because the "
            + "journal writer's control queue was full", proxy::controlRefused);
        metrics.gauge("sorthub_journal_writer_up", "1 while the journal writer runs, 0 once it failed (fail-stop)",
            () -> agent.failure() == null ? 1 : 0);
        metrics.counter("sorthub_journal_write_back_failures", "Write-backs of the journal's pages that could not be "
            + "started (durability pagecache; 0 in sync, where a failed force stops the writer)", writer::writeBackFailures);
        metrics.gauge("sorthub_parcel_index_entries", "Parcels in the trace index", parcels::size);
        final ParcelIndex.Quality quality = parcels.quality();
        metrics.counter("sorthub_parcels_inducted", "Parcels sort-requested for the first time", quality::inducted);
        metrics.counter("sorthub_parcels_loaded", "Inducted parcels that reached a loading scan (scan completeness, 上网率)",
            quality::loaded);
        metrics.counter("sorthub_sort_confirmations", "Diverted confirmations of parcels with a known decision",
            quality::confirmed);
        metrics.counter("sorthub_missorts", "Confirmed outlet other than the one decided", quality::missorted);
        metrics.gauge("sorthub_parcel_index_bytes", "Memory of the parcel trace index", parcels::memoryBytes);
        metrics.counter("sorthub_parcel_index_evicted", "Parcels forgotten by the trace index at its memory bound",
            parcels::evicted);
        metrics.counter("sorthub_parcel_index_forgotten", "Parcels forgotten by the trace index because retention deleted their records",
            parcels::forgotten);
        metrics.gauge("sorthub_replay_events", "Events replayed from the journal at start", replay::events);
    }
}
