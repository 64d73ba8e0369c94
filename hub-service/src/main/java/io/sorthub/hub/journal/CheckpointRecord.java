package io.sorthub.hub.journal;

import java.util.function.IntBinaryOperator;
import java.util.function.ObjLongConsumer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Type 4, local only: the state that replay would otherwise need older cycles for, once in
 * every cycle so that older cycles can be deleted: first when the cycle turned between
 * batches, else right after the batch during which it turned (the state after every record
 * before it). See {@link CheckpointRecords}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Source Count (int32)                         |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------------------------------------------------------+
 *  |                  Outlet Count (int32)                         | 16
 *  +---------------------------------------------------------------+
 *  |                  Reserved (0)                                 | 20
 *  +---------------------------------------------------------------+
 *  |  Source Count x (Source Id int32, Journaled Sequence int64)  ... 24
 *  +-------------------------------+---------------+---------------+
 *  |  Outlet Count x (Outlet uint16, Status uint8)                ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CheckpointRecord extends RecordFlyweight {
    public static final int SOURCE_COUNT_OFFSET = TYPE_INT_OFFSET;
    public static final int OUTLET_COUNT_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int RESERVED_OFFSET = OUTLET_COUNT_OFFSET + SIZE_OF_INT;
    public static final int SOURCES_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
    public static final int SOURCE_LENGTH = SIZE_OF_INT + SIZE_OF_LONG;
    public static final int OUTLET_LENGTH = SIZE_OF_SHORT + SIZE_OF_BYTE;

    /** A checkpoint: each source's journaled sequence, each outlet not available and its status. */
    public static byte[] encode(int[] sourceIds, long[] sequences, int[] outlets, int[] statuses, long atNs) {
        final CheckpointRecord record = new CheckpointRecord();
        record.wrapNew(SOURCES_OFFSET + SOURCE_LENGTH * sourceIds.length + OUTLET_LENGTH * outlets.length);
        record.header(JournalRecord.TYPE_CHECKPOINT, atNs);
        final org.agrona.MutableDirectBuffer b = record.buffer;
        b.putInt(SOURCE_COUNT_OFFSET, sourceIds.length, BYTE_ORDER);
        b.putInt(OUTLET_COUNT_OFFSET, outlets.length, BYTE_ORDER);
        int at = SOURCES_OFFSET;
        for (int i = 0; i < sourceIds.length; i++, at += SOURCE_LENGTH) {
            b.putInt(at, sourceIds[i], BYTE_ORDER);
            b.putLong(at + SIZE_OF_INT, sequences[i], BYTE_ORDER);
        }
        for (int i = 0; i < outlets.length; i++, at += OUTLET_LENGTH) {
            b.putShort(at, (short) outlets[i], BYTE_ORDER);
            b.putByte(at + SIZE_OF_SHORT, (byte) statuses[i]);
        }
        return record.bytes();
    }

    @Override
    public CheckpointRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    public int sourceCount() {
        return buffer.getInt(offset + SOURCE_COUNT_OFFSET, BYTE_ORDER);
    }

    public int outletCount() {
        return buffer.getInt(offset + OUTLET_COUNT_OFFSET, BYTE_ORDER);
    }

    /** Call back with each (source, sequence), then each (outlet, status). */
    public void forEach(ObjLongConsumer<Integer> source, IntBinaryOperator outlet) {
        final int sources = sourceCount();
        final int outlets = outletCount();
        int at = offset + SOURCES_OFFSET;
        for (int i = 0; i < sources; i++, at += SOURCE_LENGTH) {
            source.accept(buffer.getInt(at, BYTE_ORDER), buffer.getLong(at + SIZE_OF_INT, BYTE_ORDER));
        }
        for (int i = 0; i < outlets; i++, at += OUTLET_LENGTH) {
            outlet.applyAsInt(buffer.getShort(at, BYTE_ORDER) & 0xFFFF, buffer.getByte(at + SIZE_OF_SHORT));
        }
    }
}
