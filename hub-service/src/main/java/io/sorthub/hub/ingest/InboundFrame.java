package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.sorthub.protocol.FrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One connection's view of the frame in hand: wraps the Netty buffer's memory in place (no
 * copy, unless the buffer is neither direct nor heap-backed) and decodes it with a reused
 * {@link FrameDecoder}. Shared by the connection's gate and session, on its event loop.
 */
final class InboundFrame {
    private final UnsafeBuffer in = new UnsafeBuffer(0, 0);
    private final byte[] copyArea;
    final FrameDecoder decoder;

    InboundFrame(int maxFrameLength) {
        this.copyArea = new byte[maxFrameLength];
        this.decoder = new FrameDecoder(maxFrameLength);
    }

    /** @return the message type, or a negative value when the frame is malformed (see {@link FrameDecoder#error()}) */
    int decode(ByteBuf frame) {
        final int length = frame.readableBytes();
        if (frame.hasMemoryAddress()) {
            in.wrap(frame.memoryAddress() + frame.readerIndex(), length);
        } else if (frame.hasArray()) {
            in.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
        } else {
            frame.getBytes(frame.readerIndex(), copyArea, 0, length);
            in.wrap(copyArea, 0, length);
        }
        return decoder.decode(in, 0, length);
    }

    /** The protocol version of the frame just decoded (valid frames only). */
    int version() {
        return in.getByte(io.sorthub.protocol.Frame.VERSION_OFFSET) & 0xFF;
    }
}
