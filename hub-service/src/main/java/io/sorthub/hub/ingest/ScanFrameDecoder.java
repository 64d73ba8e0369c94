package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.sorthub.protocol.Frame;

/**
 * Splits the byte stream into hub protocol frames: a little-endian uint32 length that
 * counts the whole frame. Fails fast on a length over the limit, so a hostile length never
 * makes the hub buffer megabytes before refusing it. Frames come out as slices of the
 * cumulation buffer, not copies.
 */
public final class ScanFrameDecoder extends LengthFieldBasedFrameDecoder {
    private long lastDeclaredLength;

    public ScanFrameDecoder(int maxFrameLength) {
        super(Frame.BYTE_ORDER, maxFrameLength, Frame.LENGTH_OFFSET, 4, -4, 0, true);
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, java.nio.ByteOrder order) {
        // The frame's uint32 read in place: the base class's buf.order(...) makes a swapped view
        // of each read buffer, garbage per socket read.
        lastDeclaredLength = buf.getUnsignedIntLE(offset);
        return lastDeclaredLength;
    }

    /** The length field of the frame being decoded, for the error message when it is refused. */
    public long lastDeclaredLength() {
        return lastDeclaredLength;
    }
}
