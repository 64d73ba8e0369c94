package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * HEARTBEAT: liveness in either direction (type 0x20). The hub answers a source's
 * HEARTBEAT with one carrying the same time value, so a source can measure round trips.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                  Time (int64, sender's epoch ms)              |  8
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class HeartbeatFlyweight extends FrameFlyweight {
    public static final int TIME_OFFSET = 8;
    public static final int LENGTH = 16;

    @Override
    public byte type() {
        return MessageType.HEARTBEAT;
    }

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public HeartbeatFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public HeartbeatFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        return this;
    }

    public long timeMs() {
        return buffer.getLong(offset + TIME_OFFSET, BYTE_ORDER);
    }

    public HeartbeatFlyweight timeMs(long value) {
        buffer.putLong(offset + TIME_OFFSET, value, BYTE_ORDER);
        return this;
    }
}
