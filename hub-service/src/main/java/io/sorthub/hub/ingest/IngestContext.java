package io.sorthub.hub.ingest;

import io.sorthub.kit.fs.DiskGuard;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.security.DeviceRegistry;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.ops.HubOps;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import org.agrona.concurrent.EpochNanoClock;

import java.util.function.Supplier;

/**
 * What every scan session shares: built once by the service, handed to each connection.
 * {@code journal} is the only way to the journal writer; {@code devices} is null when no
 * devices file is configured (any source may connect); {@code unavailable} says why the hub
 * takes no new session now (stopping, writer failed), or null when it does; {@code signals}
 * are the writer's ways back to the event loops; {@code ops} the hold list, overrides, re-keys
 * and bags the decisions consult; {@code hellos} bounds the HELLOs of each remote address;
 * {@code errors} logs each kind of protocol error once per hub, then counts it; {@code connections}
 * counts the open connections against {@code maxConnections}.
 */
public record IngestContext(SourceRegistry sources, SortPlanHolder plans, OutletStates outlets,
                            JournalProxy journal, DiskGuard disk, DeviceRegistry devices,
                            HubMetrics metrics, EpochNanoClock clock, int maxFrameLength,
                            int heartbeatIntervalMs, Limits limits, Supplier<String> unavailable,
                            LoopSignals signals, HubOps ops, io.sorthub.hub.security.HelloRate hellos, ErrorLog errors,
                            ConnectionCount connections) {
    /** A hub's context, with an error log and a connection count of its own. */
    public IngestContext(SourceRegistry sources, SortPlanHolder plans, OutletStates outlets, JournalProxy journal,
                         DiskGuard disk, DeviceRegistry devices, HubMetrics metrics, EpochNanoClock clock,
                         int maxFrameLength, int heartbeatIntervalMs, Limits limits, Supplier<String> unavailable,
                         LoopSignals signals, HubOps ops, io.sorthub.hub.security.HelloRate hellos) {
        this(sources, plans, outlets, journal, disk, devices, metrics, clock, maxFrameLength, heartbeatIntervalMs, limits,
            unavailable, signals, ops, hellos, new ErrorLog(() -> clock.nanoTime() / 1_000_000L),
            ConnectionCount.registeredWith(metrics));
    }

    /** Bounds a connection may not pass (DESIGN invariant 6); each trips a metric. */
    public record Limits(int helloTimeoutMs, int idleTimeoutMs, int maxConnections, int maxInFlight,
                         long maxSequenceGap) {
        public static final Limits DEFAULTS = new Limits(10_000, 30_000, 1_000, 500_000, 1_000_000);
    }
}
