package io.sorthub.hub.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The hub's servers that speak TLS (the HTTP port and every scan port instance), and the
 * timer that hands them a renewed certificate ({@link TlsReload}). Without a configured
 * certificate every server speaks plain TCP (loudly, unless on loopback: {@link HubSecrets}).
 */
public final class TlsServers {
    private final Path cert;
    private final Path key;
    private final List<Function<PemKeyCertOptions, Future<Boolean>>> servers = new CopyOnWriteArrayList<>();

    /** @param certFile and {@code keyFile} both null for plain TCP */
    public TlsServers(String certFile, String keyFile) {
        this.cert = certFile == null ? null : Path.of(certFile);
        this.key = certFile == null ? null : Path.of(keyFile);
    }

    /** The PEM key material for a new server, or null for plain TCP. */
    public PemKeyCertOptions options() {
        return cert == null ? null : TlsReload.options(cert, key);
    }

    /** A server's way to take new key material. */
    public void add(Function<PemKeyCertOptions, Future<Boolean>> server) {
        servers.add(server);
    }

    /** Check the certificate and key for a change from now on (when TLS is on). */
    public void watch(Vertx vertx) {
        if (cert != null) {
            final TlsReload reload = new TlsReload(cert, key, servers);
            vertx.setPeriodic(HubSecrets.RELOAD_CHECK_MS, id -> reload.check());
        }
    }
}
