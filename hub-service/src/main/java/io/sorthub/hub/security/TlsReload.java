package io.sorthub.hub.security;

import io.sorthub.kit.fs.SecretFile;
import io.vertx.core.Future;
import io.vertx.core.net.PemKeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Puts a renewed TLS certificate and key in force without a restart: {@link #check} (on a
 * timer) notes when either file changed, waits until both have been still for one more
 * check (a certificate written before its key would not match it), then hands the key
 * material to every server. New connections get it; open ones keep theirs. A pair that
 * cannot be loaded is refused with a log line and the one in force stays.
 */
public final class TlsReload {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReload.class);

    private final Path cert;
    private final Path key;
    private final List<Function<PemKeyCertOptions, Future<Boolean>>> servers;
    private List<Object> inForce;
    private List<Object> changed;

    /** @param servers each server's way to take new key material (e.g. {@code HttpServer.updateSSLOptions}) */
    public TlsReload(Path cert, Path key, List<Function<PemKeyCertOptions, Future<Boolean>>> servers) {
        this.cert = cert;
        this.key = key;
        this.servers = servers;
        this.inForce = stamps();
    }

    /** The key material of the two files. */
    public static PemKeyCertOptions options(Path cert, Path key) {
        return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    }

    /** One check; the first change seen is put in force at the next check that finds the files unchanged since. */
    public void check() {
        final List<Object> now = stamps();
        if (Objects.equals(now, inForce)) {
            changed = null;
            return;
        }
        if (!Objects.equals(now, changed)) {
            changed = now; // still being written, perhaps: wait for one quiet check
            return;
        }
        inForce = now;
        changed = null;
        final SecretFile.Problem problem = SecretFile.check("tlsKeyFile", key);
        if (problem != null) {
            LOG.warn("SECRETS EXPOSED: {}", problem.message());
        }
        final PemKeyCertOptions options = options(cert, key);
        Future.all(servers.stream().map(s -> s.apply(options)).toList())
            .onSuccess(v -> LOG.info("TLS certificate {} and key {} reloaded: new connections use them", cert, key))
            .onFailure(e -> LOG.error("TLS certificate {} and key {} not reloaded, the ones in force stay: {}", cert, key,
                e.getMessage()));
    }

    private List<Object> stamps() {
        return List.of(stamp(cert), stamp(key));
    }

    private static Object stamp(Path file) {
        try {
            final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return "missing"; // mid-rename: a later check sees the new file
        }
    }
}
