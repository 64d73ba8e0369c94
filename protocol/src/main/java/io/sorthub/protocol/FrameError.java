package io.sorthub.protocol;

/**
 * What was wrong with a frame, filled in by validation. It is reused per connection, and
 * only the constant parts are recorded on the fast path: the human-readable message is
 * built in {@link #message()}, which runs on the error path only.
 */
public final class FrameError {
    private ErrorCode code;
    private String what;
    private long value;
    private long limit;
    private int offset;
    private long sequence;

    /** Record an error. {@code what} must be a constant: this runs before any allocation. */
    public int set(ErrorCode code, String what, int offset, long value, long limit) {
        this.code = code;
        this.what = what;
        this.offset = offset;
        this.value = value;
        this.limit = limit;
        return code.code();
    }

    public void clear() {
        code = null;
        sequence = 0;
    }

    /** The sequence of the SCAN the error is about, when the frame carried one; else 0. */
    public long sequence() {
        return sequence;
    }

    void sequence(long sequence) {
        this.sequence = sequence;
    }

    public ErrorCode code() {
        return code;
    }

    public int offset() {
        return offset;
    }

    /** @return a sentence naming the problem and where it is, e.g. for an ERROR frame. */
    public String message() {
        if (code == null) {
            return "no error";
        }
        switch (code) {
            case FRAME_TOO_LARGE:
                return what + ": declared length " + value + " exceeds the maximum frame length " + limit;
            case FIELD_TOO_LONG:
                return what + " at byte " + offset + " is " + value + " bytes long; the limit is " + limit;
            case TRUNCATED_FIELD:
                return what + " at byte " + offset + " needs " + value + " bytes but the frame ends at byte " + limit;
            case UNSUPPORTED_VERSION:
                return what + ": protocol version " + value + " is not supported (this hub speaks " + limit + ")";
            case UNKNOWN_TYPE:
                return what + ": unknown message type 0x" + Long.toHexString(value);
            case MALFORMED_FRAME:
                return what + " (frame length " + value + ", expected " + limit + ")";
            case INVALID_FIELD:
                return what + " at byte " + offset + " has invalid value " + value;
            default:
                return what;
        }
    }

    @Override
    public String toString() {
        return code == null ? "FrameError[none]" : "FrameError[" + code + ": " + message() + "]";
    }
}
