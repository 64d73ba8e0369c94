package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Type 7, hub pair, local only: the pair's log position of the batch appended just before it,
 * once a batch, so that a restarted instance knows where in the log to resume.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Reserved (0)                                 |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------------------------------------------------------+
 *  |                  Log Position (int64)                         | 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PairPositionRecord extends RecordFlyweight {
    public static final int POSITION_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int LENGTH = POSITION_OFFSET + SIZE_OF_LONG;

    /** The record of the log position {@code position}. */
    public static byte[] encode(long position, long atNs) {
        final PairPositionRecord record = new PairPositionRecord();
        record.wrapNew(LENGTH);
        record.header(JournalRecord.TYPE_PAIR_POSITION, atNs);
        record.position(position);
        return record.bytes();
    }

    @Override
    public PairPositionRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** The log position. */
    public long position() {
        return buffer.getLong(offset + POSITION_OFFSET, BYTE_ORDER);
    }

    public PairPositionRecord position(long position) {
        buffer.putLong(offset + POSITION_OFFSET, position, BYTE_ORDER);
        return this;
    }
}
