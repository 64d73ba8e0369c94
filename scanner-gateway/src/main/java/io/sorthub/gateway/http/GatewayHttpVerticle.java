package io.sorthub.gateway.http;

import io.sorthub.gateway.GatewayMetrics;
import io.sorthub.gateway.GatewayStatus;
import io.sorthub.kit.http.HealthEndpoint;
import io.sorthub.kit.http.JsonErrors;
import io.sorthub.kit.http.PrometheusEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import org.agrona.concurrent.EpochClock;

/**
 * The gateway's HTTP: {@code /metrics} (Prometheus) and {@code /health} (Vert.x health checks:
 * spool, forwarding, hub link), on its own event loop, so a scrape never stalls reads. Reads
 * only {@link GatewayStatus} and the registry.
 */
public final class GatewayHttpVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final GatewayMetrics metrics;
    private final GatewayStatus status;
    private final io.sorthub.kit.http.HttpLimits limits;
    private final EpochClock clock;
    private HttpServer server;
    private volatile int actualPort;

    public GatewayHttpVerticle(String host, int port, GatewayMetrics metrics, GatewayStatus status,
                               io.sorthub.kit.http.HttpLimits limits, EpochClock clock) {
        this.limits = limits;
        this.clock = clock;
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.status = status;
    }

    @Override
    public Future<?> start() {
        final Router router = Router.router(vertx);
        JsonErrors.install(router);
        router.get("/metrics").handler(PrometheusEndpoint.of(metrics::scrape));
        router.get("/health").handler(HealthEndpoint.of(HealthChecks.create(vertx)
            .register("spool", this::spool)
            .register("forwarding", this::forwarding)
            .register("hub-link", this::hubLink), rc -> true));
        final io.sorthub.kit.log.DistinctLog failures = io.sorthub.kit.log.DistinctLog.perMinute(
            org.slf4j.LoggerFactory.getLogger("io.sorthub.gateway.http.HttpFailures"), clock);
        final io.sorthub.kit.http.HttpGuard guard = new io.sorthub.kit.http.HttpGuard(vertx, limits, failures, clock);
        if (metrics.registry().find("sorthub_gateway_http_connections").gauge() == null) {
            guard.register(metrics.registry(), "sorthub_gateway_http");
        }
        vertx.setPeriodic(60_000, id -> failures.drain());
        server = guard.guard(vertx.createHttpServer(guard.options(new io.vertx.core.http.HttpServerOptions())), router);
        return server.listen(port, host).onSuccess(s -> actualPort = s.actualPort());
    }

    /** DOWN while the spool disk is nearly full: reads are refused. */
    private void spool(Promise<Status> promise) {
        promise.complete(new Status().setOk(status.spoolAccepting()).setData(new JsonObject()
            .put("accepting", status.spoolAccepting()).put("backlog", status.backlog()).put("freeBytes", status.spoolFreeBytes())));
    }

    /** DOWN while the hub offered a resume point above the spool: forwarding is stopped until an operator acts. */
    private void forwarding(Promise<Status> promise) {
        final JsonObject data = new JsonObject().put("resumeAhead", status.resumeAhead());
        if (status.resumeAhead()) {
            data.put("hubResumeSequence", status.resumeAheadHub()).put("spoolLastSequence", status.resumeAheadSpool())
                .put("fix", "reset the source at the hub (POST /api/sources/{id}/reset) or give this gateway a new sourceId");
        }
        promise.complete(new Status().setOk(!status.resumeAhead()).setData(data));
    }

    /** Always UP: without its hub the gateway spools, which is its job; the data says whether it is connected. */
    private void hubLink(Promise<Status> promise) {
        promise.complete(Status.OK(new JsonObject().put("connected", status.hubConnected())));
    }

    public int port() {
        return actualPort;
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
