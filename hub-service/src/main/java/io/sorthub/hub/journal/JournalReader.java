package io.sorthub.hub.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads journal records in order. Each record is copied into a reused buffer and handed to
 * the visitor as a wrapped {@link JournalRecord} (check {@link JournalRecord#type()}), so a
 * full replay allocates nothing per scan record.
 */
public final class JournalReader implements AutoCloseable {

    /** Sees one record; {@code index} is its Chronicle index (its journal position). */
    @FunctionalInterface
    public interface Visitor {
        void onRecord(long index, JournalRecord record);
    }

    private final Journal journal;
    private final ExcerptTailer tailer;
    private long lastIndexSeen = -1;
    private UnsafeBuffer buffer = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
    private final JournalRecord record = new JournalRecord();

    public JournalReader(Journal journal) {
        this.journal = journal;
        this.tailer = journal.queue().createTailer();
    }

    /**
     * Visit every record from the start, and fail unless the read reached the journal's last
     * document: a replay that stops early at a file it cannot read would put the resume
     * point below ACKs already sent (and hand the exporter or an audit a silent prefix).
     *
     * @throws IncompleteReadException naming where the read stopped and where the journal ends
     */
    public long readAllOrFail(Visitor visitor) throws IncompleteReadException {
        final long count = readAll(visitor);
        final long last = journal.queue().lastIndex();
        if (last > lastIndexSeen) {
            throw new IncompleteReadException("journal " + journal.directory().toAbsolutePath() + ": reading stopped "
                + (lastIndexSeen < 0 ? "before the first record" : "after index " + Long.toHexString(lastIndexSeen)
                + " (file " + journal.fileOf(lastIndexSeen) + ")") + " but the journal goes on to index "
                + Long.toHexString(last) + " (file " + journal.fileOf(last) + "): a cycle file between them cannot be read");
        }
        return count;
    }

    /** The read did not reach the end of the journal. */
    public static final class IncompleteReadException extends java.io.IOException {
        public IncompleteReadException(String message) {
            super(message);
        }
    }

    /** Visit every record from the start; returns how many were read. */
    public long readAll(Visitor visitor) {
        tailer.toStart();
        long count = 0;
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return count;
                }
                lastIndexSeen = dc.index();
                if (!dc.isData()) {
                    continue;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int length = (int) bytes.readRemaining();
                if (length > buffer.capacity()) {
                    buffer = new UnsafeBuffer(new byte[length]); // a plan record: rare, and kept for the next
                }
                bytes.read(buffer.byteArray(), 0, length);
                final byte type = length < 17 ? 0 : buffer.getByte(0); // 17: the shortest record (an audit with no actor or text)
                if (type < JournalRecord.TYPE_SCAN || type > JournalRecord.TYPE_MAX) {
                    continue; // a record kind this version does not know: skip, never fail recovery
                }
                visitor.onRecord(dc.index(), record.wrap(buffer, 0));
                count++;
            }
        }
    }

    /** Sees one record and says whether to go on. */
    @FunctionalInterface
    public interface Walker {
        boolean onRecord(long index, JournalRecord record);
    }

    /** Visit records from {@code fromIndex} on (the first one after it if it is gone) until {@code walker} stops. */
    public void readFrom(long fromIndex, Walker walker) {
        if (!tailer.moveToIndex(fromIndex)) {
            tailer.toStart();
        }
        walk(walker);
    }

    /** Visit records from the newest back until {@code walker} stops. */
    public void readBackward(Walker walker) {
        tailer.direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD).toEnd();
        walk(walker);
    }

    private void walk(Walker walker) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return;
                }
                if (!dc.isData()) {
                    continue;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int length = (int) bytes.readRemaining();
                if (length > buffer.capacity()) {
                    buffer = new UnsafeBuffer(new byte[length]);
                }
                bytes.read(buffer.byteArray(), 0, length);
                final byte type = length < 17 ? 0 : buffer.getByte(0);
                if (type >= JournalRecord.TYPE_SCAN && type <= JournalRecord.TYPE_MAX
                    && !walker.onRecord(dc.index(), record.wrap(buffer, 0))) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}
