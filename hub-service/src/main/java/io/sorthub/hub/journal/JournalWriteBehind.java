package io.sorthub.hub.journal;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Write-behind for {@link Durability#PAGECACHE}: the journal's current cycle file, up to the
 * chunk of the mapping the appender writes into, is written back {@link #STEP} bytes every
 * {@link #PERIOD_NS} ({@link SyncFileRange}: no journal commit, no device cache flush), on a
 * thread of its own ("journal-write-behind", at the lowest priority), not the writer's; no ACK
 * waits for it.
 *
 * <p>Why: left to the kernel, the pages dirtied through Chronicle's mapping pile up until they
 * reach its background threshold (10% of the available memory: 2.3 GB on a 24 GB machine),
 * and are then written back at once. Writing back a page of a shared mapping
 * write-protects it in the process's page tables: over 2.2 GB, ACK p99 went to 300 ms for two
 * seconds (BENCHMARKS.md). Write-back costs CPU where it is started (a call for 64 MiB took 0.4 to
 * 1.2 s on a 2 vCPU VM): a chunk of 64 MiB at once held ACKs for 150 to 330 ms, each time, on two cores
 * the hub shares with its load; in steps, at the lowest priority, the cost is spread and taken
 * from idle time first. Only the chunks the appender has left are written back: pages it still
 * writes would be write-protected again and again. It also narrows what a power cut can take in
 * this mode; it promises nothing about it: that is {@link Durability#SYNC}.
 *
 * <p>{@link #follow} is called by the journal writer when its appender moves to another cycle
 * file, and {@link #chunkAt} when it moves into another chunk; everything else runs on the
 * write-behind thread. The rest of a file left behind is written back in steps too, then the
 * new one from there on.
 */
final class JournalWriteBehind implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriteBehind.class);
    static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Bytes written back per period: up to 400 MB/s, ahead of any rate the journal is written at. */
    static final long STEP = 4L << 20;

    /** Starts the write-back of one file's dirty pages. */
    interface WriteBack extends AutoCloseable {
        /** Start writing back the dirty pages of {@code [from, to)} of {@code file}. */
        void writeBack(Path file, long from, long to) throws IOException;

        /** The file's size; 0 when it cannot be read (then nothing more of it is written back). */
        long size(Path file);

        @Override
        void close();
    }

    private final NanoClock clock;
    private final WriteBack writeBack;
    /** The cycle file the appender writes to, and where its chunk starts; written by the journal writer. */
    private volatile Path current;
    private volatile long chunkStart;
    private Path writingBack;
    private long writtenBackBelow;
    /** The size of the file left, while its rest is written back; -1 otherwise. */
    private long leftEnd = -1;
    private long due;
    private boolean started;
    private volatile long writeBacks;
    private volatile long failures;
    private String lastFailure;

    JournalWriteBehind(NanoClock clock, WriteBack writeBack) {
        this.clock = clock;
        this.writeBack = writeBack;
    }

    /**
     * Journal writer: the appender writes to {@code file} from now on. Its chunk in that file
     * was given just before ({@link #chunkAt}, at the first record written into it).
     */
    void follow(Path file) {
        current = file;
    }

    /** Journal writer: the appender moved into the chunk starting at this offset of its file. */
    void chunkAt(long offset) {
        chunkStart = offset;
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
        if (writingBack != null && !writingBack.equals(file)) {
            // The file left: its rest in steps too (its size ends at most a chunk and its overlap
            // past what was written), then it is closed and the new one taken up.
            if (leftEnd < 0) {
                leftEnd = writeBack.size(writingBack);
            }
            if (writtenBackBelow < leftEnd) {
                final long to = Math.min(leftEnd, writtenBackBelow + STEP);
                final int work = writeBackQuietly(writingBack, writtenBackBelow, to);
                writtenBackBelow = to;
                return work;
            }
            writeBack.close();
            leftEnd = -1;
            writtenBackBelow = 0;
        }
        writingBack = file;
        final long below = chunkStart;
        if (below > writtenBackBelow) {
            final long to = Math.min(below, writtenBackBelow + STEP);
            final int work = writeBackQuietly(file, writtenBackBelow, to);
            writtenBackBelow = to;
            return work;
        }
        return 0;
    }

    private int writeBackQuietly(Path file, long from, long to) {
        try {
            writeBack.writeBack(file, from, to);
            writeBacks++;
            lastFailure = null; // the same failure coming back is news again
            return 1;
        } catch (IOException | RuntimeException | LinkageError e) {
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

    /** Write-backs started: for tests. */
    long writeBacks() {
        return writeBacks;
    }

    /** Write-backs that could not be started (a metric); a disk's I/O errors come later and are not seen here. */
    long failures() {
        return failures;
    }

    @Override
    public void onClose() {
        writeBack.close();
    }

    @Override
    public String roleName() {
        return "journal-write-behind";
    }
}
