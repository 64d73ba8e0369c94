package io.sorthub.kit.fs;

import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Watches the free space of the disk a service writes its record to (the hub's journal, the
 * gateway's spool). Below the minimum the service stops taking new work rather than fail a
 * write half-way, and says so in one log line per change; whatever is already written stays
 * readable. {@link #check()} runs on one thread at a time (a timer); {@link #blocked()} is a
 * volatile read, fine on every event from any thread.
 *
 * <p>What a failed look at the disk means is the caller's choice ({@link WhenUnreadable}),
 * since refusing costs each service something different.
 */
public final class DiskGuard {
    /** What to do while the disk's free space cannot be read. */
    public enum WhenUnreadable {
        /** A failed look is not a full disk: keep the verdict of the last good look. */
        KEEP_LAST_VERDICT,
        /** Refuse new work until the disk can be read again. */
        REFUSE
    }

    /**
     * How the lines name things: {@code disk} ("journal"), what is refused while full
     * ("new events are NOT accepted") and what resumes ("accepting events").
     */
    public record Words(String disk, String refused, String accepting) {
    }

    private final Path directory;
    private final WhenUnreadable whenUnreadable;
    private final Logger log;
    private final Words words;
    private volatile long minFreeBytes;
    private volatile long freeBytes = Long.MAX_VALUE;
    private volatile boolean full;
    private volatile boolean unreadable;
    private volatile boolean failed;

    public DiskGuard(Path directory, long minFreeBytes, WhenUnreadable whenUnreadable, Logger log, Words words) {
        this.directory = directory;
        this.minFreeBytes = minFreeBytes;
        this.whenUnreadable = whenUnreadable;
        this.log = log;
        this.words = words;
    }

    /** Look at the disk now. */
    public synchronized void check() {
        final long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            if (!unreadable) {
                unreadable = true;
                log.error("cannot read free space of {}: {}: {}", directory, e,
                    whenUnreadable == WhenUnreadable.REFUSE ? words.refused() + " until it can be read"
                        : "keeping the last verdict (" + (full ? "refusing" : "accepting") + ")");
            }
            return;
        }
        if (unreadable) {
            unreadable = false;
            log.info("free space of {} can be read again: {} bytes", directory, free);
        }
        freeBytes = free;
        final long minimum = minFreeBytes;
        final boolean nowFull = free < minimum;
        if (nowFull != full) {
            full = nowFull;
            if (nowFull) {
                log.error("{} DISK NEARLY FULL: {} bytes free on {} (minimum {}): {} until space is freed",
                    words.disk().toUpperCase(Locale.ROOT), free, directory, minimum, words.refused());
            } else {
                log.info("{} disk has {} bytes free again: {}", words.disk(), free, words.accepting());
            }
        }
    }

    /** True while new work must not be accepted. */
    public boolean blocked() {
        return full || failed || (unreadable && whenUnreadable == WhenUnreadable.REFUSE);
    }

    /** Stop accepting for good: the record cannot be written (its writer failed). */
    public void fail() {
        failed = true;
    }

    /** At the last good look ({@link Long#MAX_VALUE} before the first). */
    public long freeBytes() {
        return freeBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Change the minimum at run time (operations, tests); takes effect at the next check. */
    public void minFreeBytes(long bytes) {
        this.minFreeBytes = bytes;
    }
}
