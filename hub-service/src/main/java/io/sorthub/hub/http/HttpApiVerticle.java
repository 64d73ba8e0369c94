package io.sorthub.hub.http;

import io.sorthub.hub.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP port: health, readiness and Prometheus metrics. It reads snapshots only and
 * runs on its own verticle, so a slow scrape never delays a scan.
 */
public final class HttpApiVerticle extends VerticleBase {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String host;
    private final int port;
    private final HubMetrics metrics;
    private final BooleanSupplier ready;
    private final Supplier<JsonObject> status;
    private HttpServer server;

    public HttpApiVerticle(String host, int port, HubMetrics metrics, BooleanSupplier ready,
                           Supplier<JsonObject> status) {
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.ready = ready;
        this.status = status;
    }

    @Override
    public Future<?> start() {
        final Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.get("/ready").handler(this::ready);
        router.get("/metrics").handler(this::metrics);
        server = vertx.createHttpServer();
        return server.requestHandler(router).listen(port, host);
    }

    private void health(RoutingContext rc) {
        rc.response().putHeader("content-type", "application/json")
            .end(status.get().put("status", "UP").encode());
    }

    private void ready(RoutingContext rc) {
        final boolean isReady = ready.getAsBoolean();
        rc.response().setStatusCode(isReady ? 200 : 503).putHeader("content-type", "application/json")
            .end(new JsonObject().put("ready", isReady).encode());
    }

    private void metrics(RoutingContext rc) {
        // Scraping formats every meter: do it off the event loop.
        vertx.executeBlocking(metrics::scrape, false)
            .onSuccess(text -> rc.response().putHeader("content-type", PROMETHEUS_TEXT).end(text))
            .onFailure(rc::fail);
    }

    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
