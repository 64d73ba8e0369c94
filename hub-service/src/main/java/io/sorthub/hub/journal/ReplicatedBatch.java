package io.sorthub.hub.journal;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * A batch read from the hub pair's log: its position in the log and its replicated bytes
 * (the form {@link StagedBatch} encodes). A standby's follower hands it to the writer, which
 * walks its records with {@link #forEachRecord}; whoever else reads the log decodes it the
 * same way.
 */
public record ReplicatedBatch(long position, byte[] value) {
    /** Receives a batch's journal records, in the order the active staged them. */
    @FunctionalInterface
    public interface RecordHandler {
        /** The record at {@code offset}, {@code length} bytes; the buffer is only valid during the call. */
        void onRecord(MutableDirectBuffer buffer, int offset, int length);
    }

    /**
     * Hand each journal record of the batch to {@code handler}, in order.
     *
     * @return the number of records
     * @throws IllegalStateException naming the log position, when the bytes are not a batch of
     *                               this format version or a record runs past the batch
     */
    public int forEachRecord(RecordHandler handler) {
        final UnsafeBuffer buffer = new UnsafeBuffer(value);
        if (buffer.capacity() < StagedBatch.HEADER_LENGTH || buffer.getByte(0) != StagedBatch.FORMAT_VERSION) {
            throw new IllegalStateException("pair log position " + position + ": not a replicated batch of version "
                + StagedBatch.FORMAT_VERSION);
        }
        final int records = buffer.getInt(4, BYTE_ORDER);
        int at = StagedBatch.HEADER_LENGTH;
        for (int i = 0; i < records; i++) {
            final int length = buffer.capacity() - at < 4 ? -1 : buffer.getInt(at, BYTE_ORDER);
            if (length < 1 || length > buffer.capacity() - at - 4) {
                throw new IllegalStateException("pair log position " + position + ": record " + i + " of " + records
                    + " runs past the batch");
            }
            handler.onRecord(buffer, at + 4, length);
            at += 4 + length;
        }
        return records;
    }
}
