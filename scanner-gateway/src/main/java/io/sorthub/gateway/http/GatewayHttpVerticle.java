package io.sorthub.gateway.http;

import io.sorthub.gateway.GatewayMetrics;
import io.sorthub.gateway.GatewayStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The gateway's HTTP: {@code /metrics} (Prometheus) and {@code /health}, on its own event
 * loop, so a scrape never stalls reads. Reads only {@link GatewayStatus} and the registry.
 */
public final class GatewayHttpVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final GatewayMetrics metrics;
    private final GatewayStatus status;
    private HttpServer server;
    private volatile int actualPort;

    public GatewayHttpVerticle(String host, int port, GatewayMetrics metrics, GatewayStatus status) {
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.status = status;
    }

    @Override
    public Future<?> start() {
        final Router router = Router.router(vertx);
        router.get("/metrics").handler(rc -> rc.response()
            .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        router.get("/health").handler(rc -> {
            final JsonObject health = health();
            rc.response().setStatusCode(health.getString("status").equals("UP")
                    || health.getString("status").equals("HUB_DOWN") ? 200 : 503)
                .putHeader("content-type", "application/json").end(health.encodePrettily());
        });
        server = vertx.createHttpServer().requestHandler(router);
        return server.listen(port, host).onSuccess(s -> actualPort = s.actualPort());
    }

    /**
     * UP; HUB_DOWN (reads are spooled, 200: the gateway itself is fine); DEGRADED (the spool
     * disk is nearly full, reads refused, 503); RESUME_AHEAD (forwarding stopped, 503).
     */
    JsonObject health() {
        final String state = status.resumeAhead() ? "RESUME_AHEAD" : !status.spoolAccepting() ? "DEGRADED"
            : status.hubConnected() ? "UP" : "HUB_DOWN";
        final JsonObject health = new JsonObject().put("status", state).put("hubConnected", status.hubConnected())
            .put("spoolBacklog", status.backlog()).put("spoolAccepting", status.spoolAccepting());
        if (status.resumeAhead()) {
            health.put("resumeAhead", new JsonObject().put("hubResumeSequence", status.resumeAheadHub())
                .put("spoolLastSequence", status.resumeAheadSpool())
                .put("fix", "reset the source at the hub (POST /api/sources/{id}/reset) or give this gateway a new sourceId"));
        }
        return health;
    }

    public int port() {
        return actualPort;
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
