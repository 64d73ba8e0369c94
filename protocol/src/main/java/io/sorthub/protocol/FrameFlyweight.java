package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * Base of the message flyweights: a view over one frame in a buffer, never a copy.
 * Subclasses add their body fields at fixed offsets from the frame start and, for
 * variable-length fields, offsets found once by {@code validate}.
 */
public abstract class FrameFlyweight {
    protected MutableDirectBuffer buffer;
    protected int offset;

    /** Wrap an existing frame, for reading (validate before trusting variable fields). */
    public FrameFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Wrap a buffer and write this message's header and fixed-block length, for encoding. */
    public FrameFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putInt(offset + Frame.LENGTH_OFFSET, fixedLength(), BYTE_ORDER);
        buffer.putByte(offset + Frame.VERSION_OFFSET, Frame.PROTOCOL_VERSION);
        buffer.putByte(offset + Frame.TYPE_OFFSET, type());
        buffer.putShort(offset + Frame.RESERVED_OFFSET, (short) 0, BYTE_ORDER);
        return this;
    }

    /** The frame's protocol version (1 or 2). */
    public int version() {
        return buffer.getByte(offset + Frame.VERSION_OFFSET) & 0xFF;
    }

    /** Set the frame's protocol version (after {@link #wrapForEncode}, which writes 1). */
    public FrameFlyweight version(int version) {
        buffer.putByte(offset + Frame.VERSION_OFFSET, (byte) version);
        return this;
    }

    public abstract byte type();

    /** Length of the header plus the fixed block: the minimum length of this message. */
    public abstract int fixedLength();

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int frameLength() {
        return buffer.getInt(offset + Frame.LENGTH_OFFSET, BYTE_ORDER);
    }

    protected void frameLength(int length) {
        buffer.putInt(offset + Frame.LENGTH_OFFSET, length, BYTE_ORDER);
    }

    /**
     * Check the body of a frame whose header {@link FrameDecoder} already checked.
     * Fixed-size messages need nothing more; variable ones override.
     *
     * @return 0 when valid, else the {@link ErrorCode} code, with details in {@code error}.
     */
    public int validate(FrameError error) {
        return 0;
    }

    // --- helpers for u8-length-prefixed ASCII fields -------------------------------------

    /**
     * Check the u8-length-prefixed field at {@code at} against the frame end and a limit.
     *
     * @return the offset just past the field, or a negative value on error.
     */
    protected final int checkVarField(int at, int end, int maxLength, String name, FrameError error) {
        if (at + 1 > end) {
            error.set(ErrorCode.TRUNCATED_FIELD, name, at - offset, 1, end - offset);
            return -1;
        }
        final int length = buffer.getByte(at) & 0xFF;
        if (length > maxLength) {
            error.set(ErrorCode.FIELD_TOO_LONG, name, at - offset, length, maxLength);
            return -1;
        }
        if (at + 1 + length > end) {
            error.set(ErrorCode.TRUNCATED_FIELD, name, at - offset, 1 + length, end - offset);
            return -1;
        }
        return at + 1 + length;
    }

    /**
     * Write {@code value} as a u8-length-prefixed field, one byte per character; returns the
     * offset after it. Characters up to 0xFF are written as that byte (a device's bytes read
     * as ISO-8859-1 go out unchanged: a '?' in their place could turn an unreadable barcode
     * into a valid one); anything above is written as 0x1A (SUB), which no barcode check accepts.
     */
    protected final int putVarField(int at, CharSequence value, int maxLength, String name) {
        final int length = value == null ? 0 : value.length();
        if (length > maxLength) {
            throw new IllegalArgumentException(name + " is " + length + " characters; the limit is " + maxLength);
        }
        buffer.putByte(at, (byte) length);
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            buffer.putByte(at + 1 + i, c <= 0xFF ? (byte) c : (byte) 0x1A);
        }
        return at + 1 + length;
    }

    protected final String varFieldString(int at) {
        final int length = buffer.getByte(at) & 0xFF;
        return buffer.getStringWithoutLengthAscii(at + 1, length);
    }
}
