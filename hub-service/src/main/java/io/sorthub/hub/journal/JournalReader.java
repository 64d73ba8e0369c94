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

    private final ExcerptTailer tailer;
    private UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
    private final JournalRecord record = new JournalRecord();

    public JournalReader(Journal journal) {
        this.tailer = journal.queue().createTailer();
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
                if (!dc.isData()) {
                    continue;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int length = (int) bytes.readRemaining();
                if (length > buffer.capacity()) {
                    buffer = new UnsafeBuffer(new byte[length]); // a plan record: rare, and kept for the next
                }
                bytes.read(buffer.byteArray(), 0, length);
                final byte type = length < 18 ? 0 : buffer.getByte(0);
                if (type < JournalRecord.TYPE_SCAN || type > JournalRecord.TYPE_AUDIT) {
                    continue; // a record kind this version does not know: skip, never fail recovery
                }
                visitor.onRecord(dc.index(), record.wrap(buffer, 0));
                count++;
            }
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}
