package io.sorthub.gateway;

import io.sorthub.gateway.http.GatewayHttpVerticle;
import io.sorthub.kit.net.ListenFailure;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.TimeUnit;

/** A running gateway: its own Vert.x, one event loop for the gateway verticle and one for its HTTP. */
public final class GatewayService implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;
    private final GatewayHttpVerticle http;

    private GatewayService(Vertx vertx, Gateway gateway, GatewayHttpVerticle http) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.http = http;
    }

    public static GatewayService start(GatewayConfig config) throws Exception {
        return start(config, SystemEpochClock.INSTANCE);
    }

    public static GatewayService start(GatewayConfig config, EpochClock clock) throws Exception {
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        final GatewayMetrics metrics = new GatewayMetrics(config.name);
        final GatewayStatus status = new GatewayStatus();
        final Gateway gateway = new Gateway(config, clock, SystemNanoClock.INSTANCE, metrics, status);
        GatewayExposure.warnings(config).forEach(w -> org.slf4j.LoggerFactory.getLogger(GatewayService.class).warn(w));
        final GatewayHttpVerticle http = new GatewayHttpVerticle(config.httpHost, config.httpPort, metrics, status,
            config.httpLimits());
        try {
            vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw e instanceof java.util.concurrent.ExecutionException && e.getCause() instanceof ListenFailure f ? f : e;
        }
        try {
            vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw ListenFailure.explain("httpPort", config.httpHost, config.httpPort, e);
        }
        return new GatewayService(vertx, gateway, http);
    }

    public Gateway gateway() {
        return gateway;
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not stop cleanly", e);
        }
    }
}
