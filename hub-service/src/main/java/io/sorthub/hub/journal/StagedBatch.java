package io.sorthub.hub.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The records of one writer batch, in order, between where they come from (the event loops'
 * ring, the control queue, or the hub pair's topic) and the journal. The writer stages a
 * batch, has it replicated when it runs in a hub pair, and only then appends it: the local
 * journal never holds a record the pair did not commit. Writer thread only; allocation-free
 * for scan records (copied into one reused buffer), control records are kept by reference.
 *
 * <p>Replicated form of a batch (one Kafka record of the pair's topic):
 * <pre>
 *   | version u8 = 1 | reserved u8 x3 | record count int32 | ( length int32 | journal record ) x count |
 * </pre>
 * Read back by {@link ReplicatedBatch#forEachRecord}.
 */
final class StagedBatch {
    static final int FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 8;

    private final UnsafeBuffer scans;
    private final int[] offset;
    private final int[] length;
    private final byte[][] control;
    private final long[] index;
    private int scanBytes;
    private int count;
    private final UnsafeBuffer encoded;

    StagedBatch(int maxScans, int maxRecords) {
        this.scans = new UnsafeBuffer(new byte[maxScans * ScanRecord.MAX_LENGTH]);
        this.offset = new int[maxRecords];
        this.length = new int[maxRecords];
        this.control = new byte[maxRecords][];
        this.index = new long[maxRecords];
        this.encoded = new UnsafeBuffer(new byte[HEADER_LENGTH + maxScans * (4 + ScanRecord.MAX_LENGTH)]);
    }

    /** Copy a scan record into the batch; returns its slot. */
    int stageScan(DirectBuffer src, int srcOffset, int recordLength) {
        scans.putBytes(scanBytes, src, srcOffset, recordLength);
        offset[count] = scanBytes;
        length[count] = recordLength;
        control[count] = null;
        scanBytes += recordLength;
        return count++;
    }

    /** Keep a control record (plan, outlet state, audit, reset...) in the batch; returns its slot. */
    int stageControl(byte[] record) {
        control[count] = record;
        offset[count] = 0;
        length[count] = record.length;
        return count++;
    }

    boolean hasRoomForScan() {
        return count < offset.length && scanBytes + ScanRecord.MAX_LENGTH <= scans.capacity();
    }

    boolean hasRoomForControl() {
        return count < offset.length;
    }

    int count() {
        return count;
    }

    boolean isScan(int slot) {
        return control[slot] == null;
    }

    /** The scan buffer (for a scan slot). */
    UnsafeBuffer scans() {
        return scans;
    }

    int offset(int slot) {
        return offset[slot];
    }

    int length(int slot) {
        return length[slot];
    }

    byte[] control(int slot) {
        return control[slot];
    }

    void index(int slot, long journalIndex) {
        index[slot] = journalIndex;
    }

    /** The slot's journal index, once the batch was appended. */
    long index(int slot) {
        return index[slot];
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            control[i] = null;
        }
        count = 0;
        scanBytes = 0;
    }

    /**
     * The batch in its replicated form, in a reused buffer (control records larger than what
     * the buffer holds grow it: plans are rare).
     *
     * @return the encoded length
     */
    int encode() {
        int size = HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            size += 4 + length[i];
        }
        final UnsafeBuffer out = size <= encoded.capacity() ? encoded : new UnsafeBuffer(new byte[size]);
        out.putByte(0, (byte) FORMAT_VERSION);
        out.putByte(1, (byte) 0);
        out.putShort(2, (short) 0, BYTE_ORDER);
        out.putInt(4, count, BYTE_ORDER);
        int at = HEADER_LENGTH;
        for (int i = 0; i < count; i++) {
            out.putInt(at, length[i], BYTE_ORDER);
            if (control[i] == null) {
                out.putBytes(at + 4, scans, offset[i], length[i]);
            } else {
                out.putBytes(at + 4, control[i]);
            }
            at += 4 + length[i];
        }
        lastEncoded = out;
        return size;
    }

    private UnsafeBuffer lastEncoded;

    /** The buffer {@link #encode} wrote to. */
    UnsafeBuffer encoded() {
        return lastEncoded;
    }
}
