package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * ERROR: the hub explains why it will close the connection, or refuses one event (type 0x7F).
 *
 * <pre>
 *  +-------------------------------+-------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +-------------------------------+-------------------------------+
 *  |     Error Code (uint16)       |        Reserved (0)           |  8
 *  +-------------------------------+-------------------------------+
 *  |                  Reserved (int32, 0)                          | 12
 *  +---------------------------------------------------------------+
 *  |  Sequence (int64) of the SCAN concerned, 0 when not about one | 16
 *  +-------------------------------+-------------------------------+
 *  |  Message Length (uint16)      |  Message (UTF-8, <= 512)     ... 24
 *  +-------------------------------+-------------------------------+
 * </pre>
 */
public final class ErrorFlyweight extends FrameFlyweight {
    public static final int CODE_OFFSET = 8;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int MESSAGE_LENGTH_OFFSET = 24;
    public static final int MESSAGE_OFFSET = 26;
    public static final int FIXED_LENGTH = MESSAGE_OFFSET;
    public static final int MAX_MESSAGE_LENGTH = 512;

    @Override
    public byte type() {
        return MessageType.ERROR;
    }

    @Override
    public int fixedLength() {
        return FIXED_LENGTH;
    }

    @Override
    public ErrorFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public ErrorFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        buffer.setMemory(offset + Frame.HEADER_LENGTH, FIXED_LENGTH - Frame.HEADER_LENGTH, (byte) 0);
        return this;
    }

    @Override
    public int validate(FrameError error) {
        final int length = messageLength();
        if (length > MAX_MESSAGE_LENGTH) {
            return error.set(ErrorCode.FIELD_TOO_LONG, "ERROR message", MESSAGE_LENGTH_OFFSET, length,
                MAX_MESSAGE_LENGTH);
        }
        if (MESSAGE_OFFSET + length != frameLength()) {
            return error.set(ErrorCode.MALFORMED_FRAME, "ERROR message length disagrees with the frame length",
                MESSAGE_LENGTH_OFFSET, frameLength(), MESSAGE_OFFSET + length);
        }
        return 0;
    }

    public int codeValue() {
        return buffer.getShort(offset + CODE_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /** @return the code, or null for a code this version does not know. */
    public ErrorCode code() {
        return ErrorCode.fromCode(codeValue());
    }

    public ErrorFlyweight code(ErrorCode code) {
        buffer.putShort(offset + CODE_OFFSET, (short) code.code(), BYTE_ORDER);
        return this;
    }

    public long sequence() {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    public ErrorFlyweight sequence(long value) {
        buffer.putLong(offset + SEQUENCE_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int messageLength() {
        return buffer.getShort(offset + MESSAGE_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /** Write the message (cut to 512 bytes of UTF-8) and set the frame length. Error path only. */
    public ErrorFlyweight message(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_MESSAGE_LENGTH);
        buffer.putShort(offset + MESSAGE_LENGTH_OFFSET, (short) length, BYTE_ORDER);
        buffer.putBytes(offset + MESSAGE_OFFSET, bytes, 0, length);
        frameLength(MESSAGE_OFFSET + length);
        return this;
    }

    public String message() {
        byte[] bytes = new byte[messageLength()];
        buffer.getBytes(offset + MESSAGE_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
