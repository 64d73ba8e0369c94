package io.sorthub.hub.security;

import io.sorthub.hub.HubConfig;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The configured devices and API tokens files, read at start and re-read on a worker when they
 * change; without one, the door it guards is open, and the log says so.
 */
public final class CredentialFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialFiles.class);

    private CredentialFiles() {
    }

    /** The API tokens, or null when the HTTP API is open; {@code vertx} re-reads the file when it changes. */
    public static ApiTokens apiTokens(HubConfig config, Vertx vertx) throws DeviceRegistry.DevicesException {
        if (config.apiTokensFile == null) {
            LOG.warn("no apiTokensFile configured: the HTTP API is OPEN to anyone who reaches port {} (development only)",
                config.httpPort);
            return null;
        }
        final ApiTokens tokens = ApiTokens.load(Path.of(config.apiTokensFile));
        reloadOnAWorker(vertx, tokens::reloadIfChanged);
        return tokens;
    }

    /** The device registry, or null when any source may connect; {@code vertx} re-reads its file when it changes. */
    public static DeviceRegistry devices(HubConfig config, Vertx vertx) throws DeviceRegistry.DevicesException {
        if (config.devicesFile == null) {
            LOG.warn("no devicesFile configured: ANY source may connect without a credential (development only)");
            return null;
        }
        final DeviceRegistry registry = DeviceRegistry.load(Path.of(config.devicesFile));
        registry.requireChallenge(config.requireChallenge);
        reloadOnAWorker(vertx, registry::reloadIfChanged);
        return registry;
    }

    private static void reloadOnAWorker(Vertx vertx, Runnable reloadIfChanged) {
        vertx.setPeriodic(HubSecrets.RELOAD_CHECK_MS, id -> vertx.executeBlocking(() -> {
            reloadIfChanged.run();
            return null;
        }, false));
    }
}
