package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * The layout of the records that say who did what, in words: an audit ({@link AuditRecord})
 * and an operator's change to the operations tables ({@link OpsRecord}, which names the change
 * in the type's byte).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version |  Op (type 10) | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Text Length (int32)                          |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------+-----------------------------------------------+
 *  |  Actor Length | Actor (ASCII)                                ... 16
 *  +---------------+-----------------------------------------------+
 *  |                  Text (UTF-8)                                ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public abstract class ActorTextRecord extends RecordFlyweight {
    public static final int TEXT_LENGTH_OFFSET = TYPE_INT_OFFSET;
    public static final int ACTOR_LENGTH_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int ACTOR_OFFSET = ACTOR_LENGTH_OFFSET + SIZE_OF_BYTE;

    /** Make a record of {@code type}: {@code actor} (ASCII, cut to 255 bytes) did {@code text}. */
    protected final byte[] encode(byte type, String actor, String text, long atNs, int typeByte) {
        final byte[] actorBytes = ascii255(actor);
        final byte[] textBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        wrapNew(ACTOR_OFFSET + actorBytes.length + textBytes.length);
        header(type, atNs);
        buffer.putByte(TYPE_BYTE_OFFSET, (byte) typeByte);
        buffer.putInt(TEXT_LENGTH_OFFSET, textBytes.length, BYTE_ORDER);
        putAsciiAfterLength(ACTOR_LENGTH_OFFSET, actorBytes);
        buffer.putBytes(ACTOR_OFFSET + actorBytes.length, textBytes);
        return bytes();
    }

    /** Who. */
    public String actor() {
        return asciiAfterLength(offset + ACTOR_LENGTH_OFFSET);
    }

    /** What, in words. */
    public String text() {
        final int actorLength = buffer.getByte(offset + ACTOR_LENGTH_OFFSET) & 0xFF;
        return utf8(offset + ACTOR_OFFSET + actorLength, buffer.getInt(offset + TEXT_LENGTH_OFFSET, BYTE_ORDER));
    }
}
