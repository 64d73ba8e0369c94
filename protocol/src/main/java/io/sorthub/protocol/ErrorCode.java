package io.sorthub.protocol;

/** Error codes carried by ERROR frames. The code is the wire value: never renumber. */
public enum ErrorCode {
    /** Declared frame length is shorter than the header or than the frame's own fields. */
    MALFORMED_FRAME(1),
    /** Declared frame length is over the maximum frame length. */
    FRAME_TOO_LARGE(2),
    /** The version byte is not one this hub speaks. */
    UNSUPPORTED_VERSION(3),
    /** The type byte names no message, or one a client may not send. */
    UNKNOWN_TYPE(4),
    /** A variable-length field runs past the end of the frame. */
    TRUNCATED_FIELD(5),
    /** A variable-length field is longer than its limit (e.g. a barcode over 64 bytes). */
    FIELD_TOO_LONG(6),
    /** A field holds a value outside its range (unknown event kind, sequence below 1...). */
    INVALID_FIELD(7),
    /** A message arrived out of session order: SCAN before HELLO, or a second HELLO. */
    PROTOCOL_VIOLATION(8),
    /** The same source opened a newer session; this one is closed. */
    SESSION_REPLACED(9),
    /** The hub cannot accept events now (journal unavailable, shutting down). */
    UNAVAILABLE(10),
    /** Any other failure inside the hub. */
    INTERNAL(11),
    /** HELLO from a source the hub does not know, or with a wrong credential. */
    AUTHENTICATION_FAILED(12);

    public static final int MAX_CODE = 12;
    private static final ErrorCode[] BY_CODE = new ErrorCode[MAX_CODE + 1];

    static {
        for (ErrorCode code : values()) {
            BY_CODE[code.code] = code;
        }
    }

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ErrorCode fromCode(int code) {
        return code > 0 && code <= MAX_CODE ? BY_CODE[code] : null;
    }
}
