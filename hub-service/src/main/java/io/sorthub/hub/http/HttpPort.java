package io.sorthub.hub.http;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.security.CredentialFiles;
import io.sorthub.hub.security.TlsServers;
import io.sorthub.kit.net.ListenFailure;
import io.sorthub.kit.time.Clocks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Opens the HTTP port first at start, so that /health answers during a long replay: the API
 * itself ({@code api}) stays null, and the hub not ready, until the writer runs.
 */
public final class HttpPort {
    private HttpPort() {
    }

    /** @return the port it listens on */
    public static int open(Vertx vertx, HubConfig config, HubMetrics metrics, Supplier<ApiContext> api,
                           BooleanSupplier ready, Supplier<JsonObject> status, TlsServers tls, Clocks clocks)
        throws Exception {
        final HttpApiVerticle http = new HttpApiVerticle(config.httpHost, config.httpPort, metrics, api, ready, status,
            tls.options(), CredentialFiles.apiTokens(config, vertx), config.httpLimits(), config.httpAccessLog, clocks);
        try {
            vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw ListenFailure.explain("httpPort", config.httpHost, config.httpPort, e);
        }
        tls.add(http::updateTls);
        return http.actualPort();
    }
}
