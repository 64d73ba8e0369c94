package io.sorthub.gateway.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Two small files beside the spool, each replaced whole (write, then rename):
 * {@code acked}, the highest sequence the hub acknowledged (so the backlog is right after a
 * restart, before the hub answers), and {@code resume-refused}, written when the hub's resume
 * point was above the spool: the highest sequence spooled then. While it exists the gateway
 * accepts no resume point above it, across restarts too, so reads spooled meanwhile can never
 * make a hijacked resume point look valid. Owned by the gateway's event loop.
 */
public final class SpoolMarks {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolMarks.class);
    static final String ACKED = "acked";
    static final String RESUME_REFUSED = "resume-refused";

    private final Path directory;
    private long ackedWritten;

    public SpoolMarks(Path directory) {
        this.directory = directory;
        this.ackedWritten = read(ACKED, 0, 0);
    }

    /** The last acknowledged sequence written, 0 when none. */
    public long acked() {
        return ackedWritten;
    }

    /** Record the hub's acknowledgement, when it moved (a hint: losing the latest one costs only a figure). */
    public void acked(long sequence) {
        if (sequence != ackedWritten && write(ACKED, sequence)) {
            ackedWritten = sequence;
        }
    }

    /** The highest sequence a hub resume point may have while a refusal stands; -1 when none does. */
    public long refusedAbove() {
        return read(RESUME_REFUSED, -1, 0); // unreadable: the strictest bound, never none
    }

    public void refuseAbove(long sequence) {
        write(RESUME_REFUSED, sequence);
    }

    public void clearRefusal() {
        try {
            Files.deleteIfExists(directory.resolve(RESUME_REFUSED));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", directory.resolve(RESUME_REFUSED), e.toString());
        }
    }

    private long read(String name, long absent, long unreadable) {
        final Path file = directory.resolve(name);
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return absent;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("unreadable {} ({}): taken as {}", file, e.toString(), unreadable);
            return unreadable;
        }
    }

    private boolean write(String name, long value) {
        final Path file = directory.resolve(name);
        final Path tmp = directory.resolve(name + ".tmp");
        try {
            Files.writeString(tmp, Long.toString(value), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", file, e.toString());
            return false;
        }
    }
}
