package io.sorthub.hub.journal;

import io.sorthub.kit.chronicle.WriteFaultAdvice;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's one appender, and the force that backs an ACK. Writer thread only.
 *
 * <p>{@link Durability#SYNC}: {@link #force} runs fdatasync on every cycle file the batch
 * touched. On Linux that writes back the pages dirtied through Chronicle's memory mapping,
 * the index pages included (a range msync from the last write position would miss index
 * entries written earlier in the file). When a new cycle file appears, the folder (its
 * directory entry) and the queue's metadata file are forced too, or a power cut could lose
 * the whole new file. Failures surface as exceptions: Chronicle's own msync only logs them.
 *
 * <p>{@link Durability#PAGECACHE}: nothing is forced for an ACK; a thread of the writer's own,
 * started at the first append, starts the write-back of each chunk of the cycle file the
 * appender leaves ({@link JournalWriteBehind}), so that dirty pages never pile up to the
 * kernel's threshold and are then written back all at once. Where the call is missing (not
 * Linux), there is none.
 */
public final class ChronicleJournalWriter implements JournalWriter {
    private final Journal journal;
    private final ExcerptAppender appender;
    private final Durability durability;
    private final List<Path> touched = new ArrayList<>(2);
    private final WriteFaultAdvice faults = new WriteFaultAdvice();
    private FileChannel current;
    private Path currentPath;
    private int appendCycle = Integer.MIN_VALUE;
    private boolean newFile;
    private final JournalWriteBehind writeBehind;
    /** Started by the writer at its first append, closed by {@link #close}: volatile for a close from another thread. */
    private volatile AgentRunner writeBehindThread;

    public ChronicleJournalWriter(Journal journal, Durability durability) {
        this(journal, durability, SystemNanoClock.INSTANCE);
    }

    /** @param clock the write-behind's, in durability pagecache */
    public ChronicleJournalWriter(Journal journal, Durability durability, NanoClock clock) {
        this.journal = journal;
        this.durability = durability;
        this.appender = journal.queue().createAppender();
        final SyncFileRange writeBack = durability == Durability.PAGECACHE ? SyncFileRange.bind() : null;
        writeBehind = writeBack == null ? null : new JournalWriteBehind(clock, writeBack);
    }

    @Override
    public long append(org.agrona.DirectBuffer buffer, int offset, int length) {
        final byte[] array = buffer.byteArray();
        if (array == null) {
            throw new IllegalArgumentException("the journal writer appends from heap buffers only");
        }
        return append(array, buffer.wrapAdjustment() + offset, length);
    }

    @Override
    public long append(byte[] record) {
        return append(record, 0, record.length);
    }

    private long append(byte[] array, int offset, int length) {
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                final Bytes<?> bytes = dc.wire().bytes();
                if (faults.follow(bytes) && writeBehind != null) {
                    writeBehind.chunkAt(faults.chunkStart()); // once per chunk: a volatile store
                }
                bytes.write(array, offset, length);
            } catch (RuntimeException | Error e) {
                dc.rollbackOnClose(); // never leave half a record behind
                throw e;
            }
        }
        final int cycle = appender.cycle();
        if (cycle != appendCycle) {
            appendCycle = cycle;
            onNewCycleFile();
        }
        return appender.lastIndexAppended();
    }

    /** The appender moved to another cycle file: the old one still needs its force, the folder one too. */
    private void onNewCycleFile() {
        if (durability == Durability.PAGECACHE) {
            if (writeBehind != null) {
                writeBehind.follow(appender.currentFile().toPath());
                if (writeBehindThread == null) {
                    startWriteBehind();
                }
            }
            return;
        }
        if (currentPath != null) {
            touched.add(currentPath);
        }
        if (current != null) {
            closeQuietly(current);
            current = null;
        }
        currentPath = appender.currentFile().toPath();
        newFile = true;
    }

    /** A daemon thread: a hub whose start failed after the writer was made must still be able to exit. */
    private void startWriteBehind() {
        final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(10),
            e -> LoggerFactory.getLogger(JournalWriteBehind.class).warn("journal write-behind failed", e), null, writeBehind);
        AgentRunner.startOnThread(runner, task -> {
            final Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        });
        writeBehindThread = runner;
    }

    @Override
    public void force() throws IOException {
        if (durability == Durability.PAGECACHE || appendCycle == Integer.MIN_VALUE) {
            return;
        }
        if (current == null) {
            current = FileChannel.open(currentPath, StandardOpenOption.READ);
        }
        for (Path old : touched) {
            forcePath(old);
        }
        touched.clear();
        current.force(false);
        if (newFile) {
            forcePath(journal.directory().resolve(SingleChronicleQueue.QUEUE_METADATA_FILE));
            forcePath(journal.directory()); // the new file's directory entry
            newFile = false;
        }
    }

    private static void forcePath(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public int cycleNow() {
        return journal.cycleNow();
    }

    @Override
    public int lastCycle() {
        return appendCycle;
    }

    @Override
    public void close() {
        try {
            force();
        } catch (IOException e) {
            // closing after a failure: nothing more is acknowledged either way
        }
        if (current != null) {
            closeQuietly(current);
        }
        final AgentRunner runner = writeBehindThread;
        if (runner != null) {
            runner.close(); // after its write-back under way, if any; twice is harmless
        }
        appender.close();
    }

    /** Write-backs started by the write-behind thread (durability pagecache); 0 in sync. */
    long writeBacks() {
        return writeBehind == null ? 0 : writeBehind.writeBacks();
    }

    /** Write-backs the write-behind thread could not start (a metric); 0 in sync. */
    long writeBackFailures() {
        return writeBehind == null ? 0 : writeBehind.failures();
    }

    /** The write-behind thread's runner; null before the first append, and in sync. */
    AgentRunner writeBehindRunner() {
        return writeBehindThread;
    }

    /** Chunks of the journal's mapping told not to read around the writer's faults ({@link WriteFaultAdvice}). */
    long chunksAdvised() {
        return faults.chunksAdvised();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only handle kept for fdatasync
        }
    }
}
