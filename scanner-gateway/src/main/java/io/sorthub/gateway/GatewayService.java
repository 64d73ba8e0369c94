package io.sorthub.gateway;

import io.sorthub.gateway.http.GatewayHttpVerticle;
import io.sorthub.kit.net.ListenFailure;
import io.sorthub.kit.time.Clocks;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

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
        return start(config, Clocks.system());
    }

    /** @param clocks the device times, deadlines and round trips (a test's set clock) */
    public static GatewayService start(GatewayConfig config, Clocks clocks) throws Exception {
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        final GatewayMetrics metrics = new GatewayMetrics(config.name);
        final GatewayStatus status = new GatewayStatus();
        final Gateway gateway = new Gateway(config, clocks.epoch(), clocks.nanos(), metrics, status);
        GatewayExposure.warnings(config).forEach(w -> org.slf4j.LoggerFactory.getLogger(GatewayService.class).warn(w));
        final GatewayHttpVerticle http = new GatewayHttpVerticle(config.httpHost, config.httpPort, metrics, status,
            config.httpLimits(), clocks.epoch());
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
