package io.sorthub.kit.net;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.nio.ByteOrder;

/**
 * Splits a byte stream into frames that begin with a little-endian uint32 counting the whole
 * frame, the hub protocol's framing, for the hub's scan port and the gateway's link to it.
 * Fails fast on a length over the limit, so a hostile length never makes a process buffer
 * megabytes before refusing it; frames come out as slices of the cumulation buffer, not copies.
 *
 * <p>The length is read in place: the base class reads it through {@code buf.order(...)},
 * which makes a swapped view of every read buffer, garbage per socket read. On the channel's
 * event loop, like any decoder.
 */
public class LengthPrefixedFrameDecoder extends LengthFieldBasedFrameDecoder {
    private static final int LENGTH_FIELD = 4;

    private long lastDeclaredLength;

    /** @param maxFrameLength the largest frame taken, length field included */
    public LengthPrefixedFrameDecoder(int maxFrameLength) {
        super(ByteOrder.LITTLE_ENDIAN, maxFrameLength, 0, LENGTH_FIELD, -LENGTH_FIELD, 0, true);
    }

    @Override
    protected final long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        lastDeclaredLength = buf.getUnsignedIntLE(offset);
        return lastDeclaredLength;
    }

    /** The length field of the frame being decoded, for the error message when it is refused. */
    public final long lastDeclaredLength() {
        return lastDeclaredLength;
    }
}
