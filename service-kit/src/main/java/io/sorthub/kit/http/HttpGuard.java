package io.sorthub.kit.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sorthub.kit.log.DistinctLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.agrona.concurrent.EpochClock;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds an HTTP server to its {@link HttpLimits}. Vert.x closes a connection idle both ways
 * ({@code idleTimeout}) and a TLS handshake that does not finish; this adds what Vert.x has no
 * option for: a connection cap, and deadlines a client cannot push back by sending one byte
 * now and then (the header, the body, the next request after a response). A sweep of the
 * open connections checks the deadlines, so no timer is set per request.
 *
 * <p>Runs on the HTTP verticle's event loop (one instance): the connection table is not
 * shared; the counters are read by the metrics scrape.
 */
public final class HttpGuard {
    private final Vertx vertx;
    private final HttpLimits limits;
    private final DistinctLog failures;
    private final EpochClock clock;
    private final Map<HttpConnection, Open> connections = new HashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong headerTimeouts = new AtomicLong();
    private final AtomicLong requestTimeouts = new AtomicLong();

    /** One open connection: when it opened, its request now, and since when it waits for the next. */
    private static final class Open {
        final long openedMs;
        HttpServerRequest request;
        long requestMs;
        long idleSinceMs;

        Open(long openedMs) {
            this.openedMs = openedMs;
        }
    }

    /** @param clock what the deadlines are measured by */
    public HttpGuard(Vertx vertx, HttpLimits limits, DistinctLog failures, EpochClock clock) {
        this.vertx = vertx;
        this.limits = limits;
        this.failures = failures;
        this.clock = clock;
    }

    /**
     * The idle and TLS-handshake bounds Vert.x enforces itself, set on {@code options}; and no
     * cleartext HTTP/2, whose detection holds a new connection back from the connection handler
     * until its first bytes, so that a silent one would never be seen.
     */
    public HttpServerOptions options(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false)
            .setIdleTimeout(limits.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setSslHandshakeTimeout(limits.headerTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /**
     * Guard {@code server}, which hands its requests to {@code requests}. Call on the verticle's
     * context: the sweep's timer is the verticle's and ends with it.
     */
    public HttpServer guard(HttpServer server, Handler<HttpServerRequest> requests) {
        final long sweepMs = Math.max(20, Math.min(1_000, Math.min(limits.headerTimeoutMs(), limits.requestTimeoutMs()) / 5));
        vertx.setPeriodic(sweepMs, id -> sweep());
        return server.connectionHandler(this::opened).requestHandler(request -> {
            final Open state = connections.get(request.connection());
            if (state != null) {
                state.request = request;
                state.requestMs = clock.time();
                state.idleSinceMs = 0;
            }
            requests.handle(request);
        });
    }

    private void opened(HttpConnection connection) {
        final long openedMs = clock.time(); // before the count: whoever sees the count sees the deadline's start
        final int now = open.incrementAndGet();
        connection.closeHandler(v -> {
            connections.remove(connection);
            open.decrementAndGet();
        });
        if (now > limits.maxConnections()) {
            refused.incrementAndGet();
            failures.record("HTTP connection over the cap", host(connection), "closed: " + limits.maxConnections()
                + " connections are open (httpMaxConnections)");
            connection.close();
            return;
        }
        connections.put(connection, new Open(openedMs));
    }

    private void sweep() {
        final long now = clock.time();
        for (var it = connections.entrySet().iterator(); it.hasNext(); ) {
            final var entry = it.next();
            final Open state = entry.getValue();
            final String late = late(state, now);
            if (late != null) {
                it.remove();
                failures.record("HTTP " + late, host(entry.getKey()), "connection closed");
                entry.getKey().close();
            }
        }
    }

    /** What {@code state} is late with, or null. */
    private String late(Open state, long now) {
        final HttpServerRequest request = state.request;
        if (request == null) {
            if (now - state.openedMs > limits.headerTimeoutMs()) {
                headerTimeouts.incrementAndGet();
                return "header not complete within " + limits.headerTimeoutMs() + " ms";
            }
            return null;
        }
        if (!request.isEnded()) {
            if (now - state.requestMs > limits.requestTimeoutMs()) {
                requestTimeouts.incrementAndGet();
                return "request body not complete within " + limits.requestTimeoutMs() + " ms";
            }
            return null;
        }
        if (!request.response().ended()) {
            return null; // the server is at work on it
        }
        if (state.idleSinceMs == 0) {
            state.idleSinceMs = now; // the response ended at most one sweep ago
        } else if (now - state.idleSinceMs > limits.idleTimeoutMs()) {
            headerTimeouts.incrementAndGet();
            return "next request's header not complete within " + limits.idleTimeoutMs() + " ms";
        }
        return null;
    }

    private static String host(HttpConnection connection) {
        return connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
    }

    /**
     * {@code <prefix>_connections} (open), {@code <prefix>_connections_refused_total} and
     * {@code <prefix>_timeouts_total{kind=header|request}}.
     */
    public void register(MeterRegistry registry, String prefix) {
        Gauge.builder(prefix + "_connections", open, AtomicInteger::get)
            .description("HTTP connections open").register(registry);
        FunctionCounter.builder(prefix + "_connections_refused", refused, AtomicLong::get)
            .description("HTTP connections closed at once because httpMaxConnections were open").register(registry);
        FunctionCounter.builder(prefix + "_timeouts", headerTimeouts, AtomicLong::get).tag("kind", "header")
            .description("HTTP connections closed because a request header or body came too slowly").register(registry);
        FunctionCounter.builder(prefix + "_timeouts", requestTimeouts, AtomicLong::get).tag("kind", "request")
            .description("HTTP connections closed because a request header or body came too slowly").register(registry);
    }

    public int open() {
        return open.get();
    }

    public long refused() {
        return refused.get();
    }

    public long headerTimeouts() {
        return headerTimeouts.get();
    }

    public long requestTimeouts() {
        return requestTimeouts.get();
    }
}
