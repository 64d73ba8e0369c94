package io.sorthub.gateway.spool;

import io.sorthub.gateway.GatewayStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches the free space on the spool's disk, on the gateway's event loop: below the minimum
 * new reads are refused (answered with the fallback outlet, never spooled half), loudly, so
 * what is already spooled stays readable; above it again, reads are accepted.
 */
public final class SpoolDiskGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDiskGuard.class);

    private final Path directory;
    private final GatewayStatus status;
    private long minFreeBytes;
    private boolean accepting = true;

    public SpoolDiskGuard(Path directory, long minFreeBytes, GatewayStatus status) {
        this.directory = directory;
        this.minFreeBytes = minFreeBytes;
        this.status = status;
    }

    public boolean accepting() {
        return accepting;
    }

    public void minFreeBytes(long bytes) {
        minFreeBytes = bytes;
    }

    public void check() {
        final long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return; // keep the last verdict: a failed stat is not a full disk
        }
        final boolean ok = free >= minFreeBytes;
        if (ok != accepting) {
            if (ok) {
                LOG.info("spool disk has {} bytes free again: accepting reads", free);
            } else {
                LOG.error("SPOOL DISK NEARLY FULL: {} bytes free on {} (minimum {}): new reads are REFUSED "
                    + "(answered with the fallback outlet) until space is freed", free, directory, minFreeBytes);
            }
        }
        accepting = ok;
        status.spoolAccepting(ok, free);
    }
}
