package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * WELCOME: the hub accepts a session and tells the source where to resume (type 0x02).
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                  Source Id (int32)                            |  8
 *  +---------------------------------------------------------------+
 *  |                  Heartbeat Interval (int32, ms)               | 12
 *  +---------------------------------------------------------------+
 *  |   Resume Sequence (int64): highest sequence of this source    | 16
 *  |   already in the journal, 0 when none. Resend from +1.        |
 *  +---------------------------------------------------------------+
 *  |                  Server Time (int64, epoch ms)                | 24
 *  +---------------------------------------------------------------+
 *  |                  Sort Plan Version (int64)                    | 32
 *  +---------------------------------------------------------------+
 *  |                  Max Frame Length (int32)                     | 40
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class WelcomeFlyweight extends FrameFlyweight {
    public static final int SOURCE_ID_OFFSET = 8;
    public static final int HEARTBEAT_INTERVAL_OFFSET = 12;
    public static final int RESUME_SEQUENCE_OFFSET = 16;
    public static final int SERVER_TIME_OFFSET = 24;
    public static final int PLAN_VERSION_OFFSET = 32;
    public static final int MAX_FRAME_LENGTH_OFFSET = 40;
    public static final int LENGTH = 44;

    @Override
    public byte type() {
        return MessageType.WELCOME;
    }

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public WelcomeFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public WelcomeFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        return this;
    }

    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    public WelcomeFlyweight sourceId(int value) {
        buffer.putInt(offset + SOURCE_ID_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int heartbeatIntervalMs() {
        return buffer.getInt(offset + HEARTBEAT_INTERVAL_OFFSET, BYTE_ORDER);
    }

    public WelcomeFlyweight heartbeatIntervalMs(int value) {
        buffer.putInt(offset + HEARTBEAT_INTERVAL_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public long resumeSequence() {
        return buffer.getLong(offset + RESUME_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    public WelcomeFlyweight resumeSequence(long value) {
        buffer.putLong(offset + RESUME_SEQUENCE_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public long serverTimeMs() {
        return buffer.getLong(offset + SERVER_TIME_OFFSET, BYTE_ORDER);
    }

    public WelcomeFlyweight serverTimeMs(long value) {
        buffer.putLong(offset + SERVER_TIME_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public WelcomeFlyweight planVersion(long value) {
        buffer.putLong(offset + PLAN_VERSION_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int maxFrameLength() {
        return buffer.getInt(offset + MAX_FRAME_LENGTH_OFFSET, BYTE_ORDER);
    }

    public WelcomeFlyweight maxFrameLength(int value) {
        buffer.putInt(offset + MAX_FRAME_LENGTH_OFFSET, value, BYTE_ORDER);
        return this;
    }
}
