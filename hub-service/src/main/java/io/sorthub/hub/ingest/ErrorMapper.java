package io.sorthub.hub.ingest;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.sorthub.protocol.ErrorCode;

import java.io.IOException;

/**
 * What a failure in a scan connection's pipeline means for the peer: the ERROR code and the
 * one-line message it gets, or nothing at all for a connection that is already gone.
 */
final class ErrorMapper {
    /** An ERROR to send; null code means close without one. */
    record Mapped(ErrorCode code, String message) {
    }

    private static final Mapped GONE = new Mapped(null, null);

    private ErrorMapper() {
    }

    /**
     * @param declaredLength the length field of the frame being decoded (for an over-long frame)
     */
    static Mapped map(Throwable cause, long declaredLength, int maxFrameLength) {
        final Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            return new Mapped(ErrorCode.FRAME_TOO_LARGE, "frame: declared length " + declaredLength
                + " exceeds the maximum frame length " + maxFrameLength);
        }
        if (root instanceof CorruptedFrameException) {
            return new Mapped(ErrorCode.MALFORMED_FRAME, "frame length field is shorter than the 8-byte header: "
                + root.getMessage());
        }
        if (root instanceof IOException) {
            return GONE; // connection reset and the like: nothing to tell a peer that is gone
        }
        return new Mapped(ErrorCode.INTERNAL, "internal error: " + root);
    }
}
