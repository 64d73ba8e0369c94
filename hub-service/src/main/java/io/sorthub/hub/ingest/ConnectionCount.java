package io.sorthub.hub.ingest;

import io.sorthub.hub.metrics.HubMetrics;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scan connections open now: counted up by the session gate as a connection arrives (which
 * refuses it past {@code maxConnections}) and down when it closes, on the event loops; read by
 * the {@code sorthub_connections} gauge at scrape time.
 */
public final class ConnectionCount {
    private final AtomicInteger open = new AtomicInteger();

    /** A count whose gauge {@code metrics} scrapes. */
    public static ConnectionCount registeredWith(HubMetrics metrics) {
        final ConnectionCount count = new ConnectionCount();
        metrics.gauge("sorthub_connections", "Open scan connections", count::open);
        return count;
    }

    /** @return the connections open now, this one included */
    public int opened() {
        return open.incrementAndGet();
    }

    public void closed() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
