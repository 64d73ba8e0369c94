package io.sorthub.gateway.spool;

import io.sorthub.kit.chronicle.ChronicleProperties;
import io.sorthub.kit.chronicle.WriteFaultAdvice;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The gateway's store-and-forward spool: every normalised read, as the SCAN frame that will
 * go to the hub, appended to a Chronicle Queue on local disk before anything else happens
 * to it. The spool numbers the events (the source's sequence) and gives them back in order
 * from any resume point; disk is reclaimed only for cycles the hub acknowledged entirely.
 * Single-threaded: the gateway's event loop owns it.
 *
 * <pre>
 * record: | spooled at (int64, epoch ms) | SCAN frame (hub protocol), sequence filled in |
 * </pre>
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    static final int TIME_OFFSET = 0;
    static final int FRAME_OFFSET = 8;

    static {
        ChronicleProperties.noAnalytics();
    }

    private final Path directory;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;
    private final WriteFaultAdvice faults = new WriteFaultAdvice();
    private long lastSequence;
    private long firstSequence;

    public Spool(Path directory, String rollCycle) throws IOException {
        // rwx------ for every folder made here: Chronicle's files take the umask, the folder keeps others out.
        io.sorthub.kit.fs.OwnerOnly.createDirectories(directory);
        this.directory = directory;
        this.queue = ChronicleQueue.singleBuilder(directory).rollCycle(rollCycle(rollCycle)).build();
        this.appender = queue.createAppender();
        this.tailer = queue.createTailer();
        this.lastSequence = readLastSequence();
        this.firstSequence = readFirstSequence();
    }

    static RollCycle rollCycle(String name) {
        for (RollCycles cycle : RollCycles.values()) {
            if (cycle.name().equalsIgnoreCase(name)) {
                return cycle;
            }
        }
        for (TestRollCycles cycle : TestRollCycles.values()) {
            if (cycle.name().equalsIgnoreCase(name)) {
                return cycle;
            }
        }
        throw new IllegalArgumentException("unknown spool roll cycle '" + name + "'; use FAST_HOURLY or FAST_DAILY");
    }

    private long readLastSequence() {
        try (ExcerptTailer last = queue.createTailer()) {
            last.direction(TailerDirection.BACKWARD).toEnd();
            try (DocumentContext dc = last.readingDocument()) {
                if (!dc.isPresent()) {
                    return 0;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                return bytes.readLong(bytes.readPosition() + FRAME_OFFSET + ScanFlyweight.SEQUENCE_OFFSET);
            }
        }
    }

    private long readFirstSequence() {
        try (ExcerptTailer first = queue.createTailer()) {
            try (DocumentContext dc = first.readingDocument()) {
                if (!dc.isPresent()) {
                    return 0;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                return bytes.readLong(bytes.readPosition() + FRAME_OFFSET + ScanFlyweight.SEQUENCE_OFFSET);
            }
        }
    }

    /** Lowest sequence still in the spool (0 when empty): everything below was acknowledged and reclaimed. */
    public long firstSequence() {
        return firstSequence;
    }

    /** Highest sequence spooled so far (0 when empty). */
    public long lastSequence() {
        return lastSequence;
    }

    /**
     * Number the SCAN frame in {@code frame} with the next sequence and append it.
     *
     * @return the sequence it was given
     */
    public long append(UnsafeBuffer frame, int length, long nowMs) {
        final long sequence = lastSequence + 1;
        frame.putLong(ScanFlyweight.SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        try (DocumentContext dc = appender.writingDocument()) {
            final Bytes<?> bytes = dc.wire().bytes();
            faults.follow(bytes); // no read-around of megabytes of holes on the event loop
            bytes.writeLong(nowMs);
            bytes.write(frame.byteArray(), 0, length);
        }
        lastSequence = sequence;
        if (firstSequence == 0) {
            firstSequence = sequence;
        }
        return sequence;
    }

    /** Position the reader at the first event after {@code sequence} (the hub's resume point). */
    public void seekAfter(long sequence) {
        tailer.toStart();
        while (true) {
            final long index = tailer.index();
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                if (bytes.readLong(bytes.readPosition() + FRAME_OFFSET + ScanFlyweight.SEQUENCE_OFFSET) > sequence) {
                    dc.rollbackOnClose(); // leave this one to be read by next()
                    return;
                }
            }
            if (tailer.index() == index) {
                return;
            }
        }
    }

    /**
     * Read the next spooled event into {@code dst}: its SCAN frame from offset 0.
     *
     * @return the frame length, or 0 when the reader has caught up; {@code spooledAt[0]} gets its spool time
     */
    public int next(UnsafeBuffer dst, long[] spooledAt) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return 0;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int) bytes.readRemaining() - FRAME_OFFSET;
            spooledAt[0] = bytes.readLong();
            bytes.read(dst.byteArray(), 0, length);
            return length;
        }
    }

    /** The spool time of the event {@link #next} would read, without reading it; -1 when caught up. */
    public long peekTime() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            dc.rollbackOnClose();
            final Bytes<?> bytes = dc.wire().bytes();
            return bytes.readLong(bytes.readPosition() + TIME_OFFSET);
        }
    }

    /**
     * Delete cycle files all of whose events the hub has acknowledged: a file goes when the
     * next file's first sequence is at most {@code acked} + 1. Never the current file.
     *
     * @return how many files were deleted
     */
    public int reclaim(long acked) {
        final List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list spool {}: {}", directory, e.toString());
            return 0;
        }
        int deleted = 0;
        for (int i = 0; i + 1 < files.size(); i++) {
            final long nextFirst = firstSequenceOf(files.get(i + 1));
            if (nextFirst <= 0 || nextFirst - 1 > acked) {
                break;
            }
            try {
                Files.delete(files.get(i));
                deleted++;
            } catch (IOException e) {
                LOG.warn("cannot delete acknowledged spool file {}: {}", files.get(i), e.toString());
                break;
            }
        }
        if (deleted > 0) {
            firstSequence = readFirstSequence();
        }
        return deleted;
    }

    private long firstSequenceOf(Path file) {
        final RollCycle cycle = queue.rollCycle();
        final String name = file.getFileName().toString();
        final long startMs = DateTimeFormatter.ofPattern(cycle.format()).withZone(ZoneOffset.UTC)
            .parse(name.substring(0, name.length() - 4), Instant::from).toEpochMilli();
        try (ExcerptTailer probe = queue.createTailer()) {
            if (!probe.moveToIndex(cycle.toIndex((int) (startMs / cycle.lengthInMillis()), 0))) {
                return -1;
            }
            try (DocumentContext dc = probe.readingDocument()) {
                if (!dc.isPresent()) {
                    return -1;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                return bytes.readLong(bytes.readPosition() + FRAME_OFFSET + ScanFlyweight.SEQUENCE_OFFSET);
            }
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        tailer.close();
        appender.close();
        queue.close();
    }
}
