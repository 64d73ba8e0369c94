package io.sorthub.hub.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads journal records in order. Each record is copied into a reused buffer and handed to
 * the visitor as a wrapped {@link JournalRecord}, so a full replay allocates nothing per
 * record.
 */
public final class JournalReader implements AutoCloseable {

    /** Sees one record; {@code index} is its Chronicle index (its journal position). */
    @FunctionalInterface
    public interface Visitor {
        void onRecord(long index, JournalRecord record);
    }

    private final ExcerptTailer tailer;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
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
                final int length = (int) Math.min(bytes.readRemaining(), JournalRecord.MAX_LENGTH);
                bytes.read(buffer.byteArray(), 0, length);
                if (length < JournalRecord.HEADER_LENGTH || buffer.getByte(0) != JournalRecord.TYPE_SCAN) {
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
