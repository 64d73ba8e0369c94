package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * HELLO: a source opens its session (type 0x01). It must be the first frame on a connection.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                  Source Id (int32, >= 1)                      |  8
 *  +---------------------------------------------------------------+
 *  |      Flags (int32; version 1: reserved, 0): bit 0 CHALLENGE   | 12
 *  +---------------------------------------------------------------+
 *  | len | Source Name (ASCII, <= 32)                             ... 16
 *  | len | Credential (bytes, <= 64, empty when the hub needs none)...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class HelloFlyweight extends FrameFlyweight {
    public static final int SOURCE_ID_OFFSET = 8;
    public static final int RESERVED_OFFSET = 12;
    /** Version 2: the flags at {@link #RESERVED_OFFSET}. */
    public static final int FLAGS_OFFSET = RESERVED_OFFSET;
    /** Version 2: authenticate by challenge and response (the credential field stays empty). */
    public static final int FLAG_CHALLENGE = 0x01;
    public static final int VAR_FIELDS_OFFSET = 16;
    public static final int FIXED_LENGTH = VAR_FIELDS_OFFSET;
    public static final int MAX_NAME_LENGTH = 32;
    public static final int MAX_CREDENTIAL_LENGTH = 64;

    private int credentialAt;

    @Override
    public byte type() {
        return MessageType.HELLO;
    }

    @Override
    public int fixedLength() {
        return FIXED_LENGTH;
    }

    @Override
    public HelloFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public HelloFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        buffer.putInt(offset + RESERVED_OFFSET, 0, BYTE_ORDER);
        return this;
    }

    @Override
    public int validate(FrameError error) {
        final int end = offset + frameLength();
        credentialAt = checkVarField(offset + VAR_FIELDS_OFFSET, end, MAX_NAME_LENGTH, "HELLO source name", error);
        if (credentialAt < 0) {
            return error.code().code();
        }
        final int after = checkVarField(credentialAt, end, MAX_CREDENTIAL_LENGTH, "HELLO credential", error);
        if (after < 0) {
            return error.code().code();
        }
        if (after != end) {
            return error.set(ErrorCode.MALFORMED_FRAME, "HELLO has bytes after its last field",
                after - offset, end - offset, after - offset);
        }
        if (sourceId() < 1) {
            return error.set(ErrorCode.INVALID_FIELD, "HELLO source id", SOURCE_ID_OFFSET, sourceId(), 0);
        }
        if (version() >= Frame.PROTOCOL_VERSION_2) {
            if ((flags() & ~FLAG_CHALLENGE) != 0) {
                return error.set(ErrorCode.INVALID_FIELD, "HELLO flags", FLAGS_OFFSET, flags(), FLAG_CHALLENGE);
            }
            if ((flags() & FLAG_CHALLENGE) != 0 && buffer.getByte(credentialAt) != 0) {
                return error.set(ErrorCode.INVALID_FIELD, "HELLO credential (must be empty with the CHALLENGE flag)",
                    credentialAt - offset, buffer.getByte(credentialAt) & 0xFF, 0);
            }
        }
        return 0;
    }

    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    public HelloFlyweight sourceId(int value) {
        buffer.putInt(offset + SOURCE_ID_OFFSET, value, BYTE_ORDER);
        return this;
    }

    /** Version 2: the HELLO's flags (0 in version 1, where the field is reserved). */
    public int flags() {
        return version() >= Frame.PROTOCOL_VERSION_2 ? buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER) : 0;
    }

    /** Version 2: set the flags (and the frame's version to 2). */
    public HelloFlyweight flags(int flags) {
        version(Frame.PROTOCOL_VERSION_2);
        buffer.putInt(offset + FLAGS_OFFSET, flags, BYTE_ORDER);
        return this;
    }

    /** Write the name and credential and set the frame length. */
    public HelloFlyweight strings(CharSequence sourceName, CharSequence credential) {
        credentialAt = putVarField(offset + VAR_FIELDS_OFFSET, sourceName, MAX_NAME_LENGTH, "source name");
        final int end = putVarField(credentialAt, credential, MAX_CREDENTIAL_LENGTH, "credential");
        frameLength(end - offset);
        return this;
    }

    public String sourceName() {
        return varFieldString(offset + VAR_FIELDS_OFFSET);
    }

    public String credential() {
        return varFieldString(credentialAt);
    }
}
