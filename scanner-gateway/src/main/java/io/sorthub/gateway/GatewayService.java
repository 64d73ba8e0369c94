package io.sorthub.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.concurrent.TimeUnit;

/** A running gateway: its own Vert.x with one event loop for the gateway verticle. */
public final class GatewayService implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;

    private GatewayService(Vertx vertx, Gateway gateway) {
        this.vertx = vertx;
        this.gateway = gateway;
    }

    public static GatewayService start(GatewayConfig config) throws Exception {
        final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        final Gateway gateway = new Gateway(config);
        try {
            vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
        return new GatewayService(vertx, gateway);
    }

    public Gateway gateway() {
        return gateway;
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
