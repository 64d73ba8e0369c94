package io.sorthub.hub.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches the free space of the journal's disk. Below the threshold the hub stops taking
 * new events (connections pause reading: the gateways keep them in their spools) rather
 * than fail an append half-way; it says so in /health, /ready, a metric and one log line
 * per change. Everything already acknowledged stays on disk.
 */
public final class DiskGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);

    private final Path directory;
    private volatile long minFreeBytes;
    private volatile long freeBytes = Long.MAX_VALUE;
    private volatile boolean blocked;
    private volatile boolean failed;

    public DiskGuard(Path directory, long minFreeBytes) {
        this.directory = directory;
        this.minFreeBytes = minFreeBytes;
    }

    /** Look at the disk now; called every second off the event loops. */
    public void check() {
        try {
            freeBytes = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            LOG.error("cannot read free space of {}: {}", directory, e.toString());
            return;
        }
        final boolean full = freeBytes < minFreeBytes;
        if (full != blocked) {
            blocked = full;
            if (full) {
                LOG.error("JOURNAL DISK NEARLY FULL: {} bytes free on {} (minimum {}): new events are NOT accepted until space is freed",
                    freeBytes, directory, minFreeBytes);
            } else {
                LOG.info("journal disk has {} bytes free again: accepting events", freeBytes);
            }
        }
    }

    /** True while new events must not be accepted. Volatile reads: fine per event. */
    public boolean blocked() {
        return blocked || failed;
    }

    /** Stop accepting for good: the journal cannot be written (the writer failed). */
    public void fail() {
        failed = true;
    }

    public long freeBytes() {
        return freeBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Change the threshold at run time (operations, tests); takes effect at the next check. */
    public void minFreeBytes(long bytes) {
        this.minFreeBytes = bytes;
    }
}
