package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Type 2: an operator set an outlet's state. Made on the control plane, off the hot path.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Outlet (int32)                               |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |  Actor Length | Actor (ASCII)                ... 16
 *  +---------------+---------------+-------------------------------+
 * </pre>
 */
public final class OutletStateRecord extends RecordFlyweight {
    public static final int OUTLET_OFFSET = TYPE_INT_OFFSET;
    public static final int STATUS_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int ACTOR_LENGTH_OFFSET = STATUS_OFFSET + SIZE_OF_BYTE;
    public static final int ACTOR_OFFSET = ACTOR_LENGTH_OFFSET + SIZE_OF_BYTE;

    /** The record for {@code outlet} set to {@code statusCode} (see OutletStatus) by {@code actor}. */
    public static byte[] encode(int outlet, int statusCode, long atNs, String actor) {
        final byte[] actorBytes = ascii255(actor);
        final OutletStateRecord record = new OutletStateRecord();
        record.wrapNew(ACTOR_OFFSET + actorBytes.length);
        record.header(JournalRecord.TYPE_OUTLET_STATE, atNs);
        record.outlet(outlet).status(statusCode).actor(actorBytes);
        return record.bytes();
    }

    @Override
    public OutletStateRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** The outlet whose state was set. */
    public int outlet() {
        return buffer.getInt(offset + OUTLET_OFFSET, BYTE_ORDER);
    }

    public OutletStateRecord outlet(int outlet) {
        buffer.putInt(offset + OUTLET_OFFSET, outlet, BYTE_ORDER);
        return this;
    }

    /** The status code set (see OutletStatus). */
    public int status() {
        return buffer.getByte(offset + STATUS_OFFSET);
    }

    public OutletStateRecord status(int statusCode) {
        buffer.putByte(offset + STATUS_OFFSET, (byte) statusCode);
        return this;
    }

    /** Who set it. */
    public String actor() {
        return asciiAfterLength(offset + ACTOR_LENGTH_OFFSET);
    }

    /** Set the actor (at most 255 bytes); the record must have room for it. */
    public OutletStateRecord actor(byte[] ascii) {
        putAsciiAfterLength(offset + ACTOR_LENGTH_OFFSET, ascii);
        return this;
    }
}
