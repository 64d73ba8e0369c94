package io.sorthub.hub.ingest;

import io.sorthub.hub.journal.DiskGuard;
import io.sorthub.hub.security.DeviceRegistry;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.OutletStates;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * What every scan session shares: built once by the service, handed to each connection.
 * {@code wakeJournal} tells the journal writer that records were queued (once per read batch);
 * {@code devices} is null when no devices file is configured (any source may connect).
 */
public record IngestContext(SourceRegistry sources, SortPlanHolder plans, OutletStates outlets,
                            RingBuffer journalQueue,
                            Runnable wakeJournal, DiskGuard disk, DeviceRegistry devices,
                            HubMetrics metrics, EpochNanoClock clock, int maxFrameLength,
                            int heartbeatIntervalMs, Limits limits) {
    /** Bounds a connection may not pass (DESIGN invariant 6); each trips a metric. */
    public record Limits(int helloTimeoutMs, int idleTimeoutMs, int maxConnections, int maxInFlight) {
        public static final Limits DEFAULTS = new Limits(10_000, 30_000, 1_000, 500_000);
    }

    static final ErrorLog ERRORS = new ErrorLog();
}
