package io.sorthub.hub.ingest;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.security.TlsServers;
import io.sorthub.kit.net.ListenFailure;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Opens the scan port last at start: one {@link ScanServerVerticle} per ingest event loop.
 * Vert.x shares the listening socket between them, a configured port 0 included (they all get
 * the same free port).
 */
public final class ScanPort {
    private ScanPort() {
    }

    /** @return the port it listens on */
    public static int open(Vertx vertx, HubConfig config, IngestContext ingest, TlsServers tls) throws Exception {
        final List<ScanServerVerticle> instances = new CopyOnWriteArrayList<>();
        try {
            vertx.deployVerticle(() -> {
                final ScanServerVerticle verticle = new ScanServerVerticle(ingest, config.host, config.scanPort, tls.options());
                instances.add(verticle);
                tls.add(verticle::updateTls);
                return verticle;
            }, new DeploymentOptions().setInstances(config.ingestThreads))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw ListenFailure.explain("scanPort", config.host, config.scanPort, e);
        }
        return instances.get(0).actualPort();
    }
}
