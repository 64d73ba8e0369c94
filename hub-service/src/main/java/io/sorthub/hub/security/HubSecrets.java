package io.sorthub.hub.security;

import io.sorthub.hub.HubConfig;
import io.sorthub.kit.fs.OwnerOnly;
import io.sorthub.kit.fs.SecretFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the hub says at start about how exposed it is: a port open beyond this machine
 * without TLS or tokens, a TLS key or data folder others may read. The devices and tokens
 * files are checked as they are read ({@link WatchedFile}).
 */
public final class HubSecrets {
    /** How often the TLS certificate and key are checked for a change. */
    public static final long RELOAD_CHECK_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(HubSecrets.class);

    private HubSecrets() {
    }

    /** @throws HubConfig.ConfigException when a secrets file is writable by others */
    public static void check(HubConfig config) throws HubConfig.ConfigException {
        if (config.tlsCertFile == null) {
            if (!isLoopback(config.host)) {
                LOG.warn("PLAIN TEXT on {}: scans and device credentials cross the network unencrypted and the hub is "
                    + "not authenticated by certificate; set tlsCertFile and tlsKeyFile", config.host);
            }
            if (!isLoopback(config.httpHost)) {
                LOG.warn("PLAIN TEXT HTTP on {}: API tokens, sort plans and traces cross the network unencrypted; "
                    + "set tlsCertFile and tlsKeyFile, or keep httpHost on 127.0.0.1", config.httpHost);
            }
        } else {
            final SecretFile.Problem key = SecretFile.check("tlsKeyFile", Path.of(config.tlsKeyFile));
            if (key != null && key.refuse()) {
                throw new HubConfig.ConfigException(key.message());
            }
            if (key != null) {
                LOG.warn("SECRETS EXPOSED: {}", key.message());
            }
        }
        if (config.apiTokensFile == null && !isLoopback(config.httpHost)) {
            LOG.warn("the HTTP API on {} is OPEN to the network without apiTokensFile: anyone who reaches it may change "
                + "sort plans, outlets and device credentials", config.httpHost);
        }
        final Path data = Path.of(config.dataDir);
        try {
            final String open = Files.isDirectory(data) ? OwnerOnly.openToOthers(data) : null;
            if (open != null) {
                LOG.warn("data folder {} is {}: other users may read the journal (barcodes, customers); run chmod 700 {}",
                    data.toAbsolutePath(), open, data.toAbsolutePath());
            }
        } catch (IOException e) {
            // the hub's own open of the folder reports it
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
