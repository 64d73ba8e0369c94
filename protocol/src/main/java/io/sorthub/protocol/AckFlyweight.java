package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * ACK: cumulative acknowledgement (type 0x12). Every event of the source with a sequence
 * up to and including {@code sequence} is in the hub's journal; the source may forget them.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                  Source Id (int32)                            |  8
 *  +---------------------------------------------------------------+
 *  |                  Reserved (int32, 0)                          | 12
 *  +---------------------------------------------------------------+
 *  |                  Sequence (int64): durable up to here         | 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class AckFlyweight extends FrameFlyweight {
    public static final int SOURCE_ID_OFFSET = 8;
    public static final int RESERVED_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int LENGTH = 24;

    @Override
    public byte type() {
        return MessageType.ACK;
    }

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public AckFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public AckFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        buffer.putInt(offset + RESERVED_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    public AckFlyweight sourceId(int value) {
        buffer.putInt(offset + SOURCE_ID_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public long sequence() {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    public AckFlyweight sequence(long value) {
        buffer.putLong(offset + SEQUENCE_OFFSET, value, BYTE_ORDER);
        return this;
    }
}
