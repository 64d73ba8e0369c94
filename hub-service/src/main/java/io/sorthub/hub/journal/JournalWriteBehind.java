package io.sorthub.hub.journal;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Write-behind for {@link Durability#PAGECACHE}: every {@link #PERIOD_NS} the journal's current
 * cycle file is written back to the disk (fdatasync), on a thread of its own
 * ("journal-write-behind"), not the writer's; no ACK waits for it.
 *
 * <p>Why: left to the kernel, the pages dirtied through Chronicle's mapping pile up until they
 * reach its background threshold (10% of the memory: 2.3 GB on a 24 GB machine, 25 s of
 * 100,000 events/s), and are then written back at once. Writing back a page of a shared mapping
 * write-protects it in the process's page tables, with a TLB flush of every core the hub runs
 * on: over 2.2 GB, ACK p99 went to 300 ms for two seconds (BENCHMARKS.md). Written back every
 * 100 ms, a flush is a megabyte or so. It also narrows what a power cut can take in this mode;
 * it promises nothing about it: that is {@link Durability#SYNC}.
 *
 * <p>{@link #follow} is called by the journal writer when its appender moves to another cycle
 * file; everything else runs on the write-behind thread. The file left behind is written back
 * once more, then the new one from there on.
 */
final class JournalWriteBehind implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriteBehind.class);
    static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** fdatasync of one file at a time. */
    interface Force extends AutoCloseable {
        void force(Path file) throws IOException;

        @Override
        void close();
    }

    private final NanoClock clock;
    private final Force force;
    /** The cycle file the appender writes to; written by the journal writer. */
    private volatile Path current;
    private Path forcing;
    private long due;
    private boolean started;
    private volatile long forces;
    private volatile long failures;
    private String lastFailure;

    JournalWriteBehind(NanoClock clock, Force force) {
        this.clock = clock;
        this.force = force;
    }

    /** Journal writer: the appender writes to {@code file} from now on. */
    void follow(Path file) {
        current = file;
    }

    @Override
    public int doWork() {
        final long now = clock.nanoTime();
        if (started && now - due < 0) {
            return 0;
        }
        started = true;
        due = now + PERIOD_NS;
        final Path file = current;
        if (file == null) {
            return 0;
        }
        int work = 0;
        if (forcing != null && !forcing.equals(file)) {
            work += forceQuietly(forcing); // the rest of the file left behind
        }
        forcing = file;
        return work + forceQuietly(file);
    }

    private int forceQuietly(Path file) {
        try {
            force.force(file);
            forces++;
            return 1;
        } catch (IOException | RuntimeException e) {
            failures++;
            final String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failure.equals(lastFailure)) { // once per distinct failure, not ten times a second
                lastFailure = failure;
                LOG.warn("journal write-behind: cannot write {} back: {} (the hub goes on; durability pagecache "
                    + "promises only the page cache)", file.getFileName(), failure);
            }
            return 0;
        }
    }

    /** Write-backs done, failures, for tests and the health page. */
    long forces() {
        return forces;
    }

    long failures() {
        return failures;
    }

    @Override
    public void onClose() {
        force.close();
    }

    @Override
    public String roleName() {
        return "journal-write-behind";
    }

    /** The real force: a read-only channel kept open on the file being written back. */
    static final class FileForce implements Force {
        private FileChannel channel;
        private Path path;

        @Override
        public void force(Path file) throws IOException {
            if (!file.equals(path)) {
                close();
                channel = FileChannel.open(file, StandardOpenOption.READ);
                path = file;
            }
            channel.force(false);
        }

        @Override
        public void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // a read-only handle: nothing was written through it
                }
                channel = null;
                path = null;
            }
        }
    }
}
