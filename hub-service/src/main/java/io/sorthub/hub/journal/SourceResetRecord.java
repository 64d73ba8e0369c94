package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Type 6: an operator reset a source; its sequences count from 1 again after this record. The
 * writer checks the source's high-water mark against the one recorded before appending it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Source Id (int32)                            |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------------------------------------------------------+
 *  |                  Previous High-Water Sequence (int64)         | 16
 *  +---------------+-----------------------------------------------+
 *  |  Actor Length | Actor (ASCII)                                ... 24
 *  +---------------+-----------------------------------------------+
 * </pre>
 */
public final class SourceResetRecord extends RecordFlyweight {
    public static final int SOURCE_ID_OFFSET = TYPE_INT_OFFSET;
    public static final int PREVIOUS_SEQUENCE_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int ACTOR_LENGTH_OFFSET = PREVIOUS_SEQUENCE_OFFSET + SIZE_OF_LONG;
    public static final int ACTOR_OFFSET = ACTOR_LENGTH_OFFSET + SIZE_OF_BYTE;

    /** {@code actor} started {@code sourceId} again at sequence 1 (its high-water mark was {@code previous}). */
    public static byte[] encode(int sourceId, long previous, String actor, long atNs) {
        final byte[] actorBytes = ascii255(actor);
        final SourceResetRecord record = new SourceResetRecord();
        record.wrapNew(ACTOR_OFFSET + actorBytes.length);
        record.header(JournalRecord.TYPE_SOURCE_RESET, atNs);
        record.sourceId(sourceId).previousSequence(previous).actor(actorBytes);
        return record.bytes();
    }

    @Override
    public SourceResetRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** The source reset. */
    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    public SourceResetRecord sourceId(int sourceId) {
        buffer.putInt(offset + SOURCE_ID_OFFSET, sourceId, BYTE_ORDER);
        return this;
    }

    /** Its highest sequence before the reset. */
    public long previousSequence() {
        return buffer.getLong(offset + PREVIOUS_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    public SourceResetRecord previousSequence(long sequence) {
        buffer.putLong(offset + PREVIOUS_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        return this;
    }

    /** Who reset it. */
    public String actor() {
        return asciiAfterLength(offset + ACTOR_LENGTH_OFFSET);
    }

    /** Set the actor (at most 255 bytes); the record must have room for it. */
    public SourceResetRecord actor(byte[] ascii) {
        putAsciiAfterLength(offset + ACTOR_LENGTH_OFFSET, ascii);
        return this;
    }
}
