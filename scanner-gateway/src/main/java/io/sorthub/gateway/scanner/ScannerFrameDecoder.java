package io.sorthub.gateway.scanner;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits a scanner's byte stream into lines by its profile's framing: STX…ETX, CR LF or LF.
 * Never throws on bad input: an over-long line or bytes outside a frame become a
 * {@link LineRejected} for the device to count, and decoding carries on at the next frame,
 * so one bad read never stops the device (or any other).
 */
public final class ScannerFrameDecoder extends ByteToMessageDecoder {
    private static final byte STX = 0x02;
    private static final byte ETX = 0x03;

    private final Framing framing;
    private final int maxLength;
    private boolean discarding;

    public ScannerFrameDecoder(Framing framing, int maxLength) {
        this.framing = framing;
        this.maxLength = maxLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (framing == Framing.STX_ETX) {
            decodeStxEtx(in, out);
        } else {
            decodeLines(in, out);
        }
    }

    private void decodeStxEtx(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (discarding) {
                final int etx = in.indexOf(in.readerIndex(), in.writerIndex(), ETX);
                if (etx < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(etx + 1);
                discarding = false;
                continue;
            }
            final int stx = in.indexOf(in.readerIndex(), in.writerIndex(), STX);
            if (stx < 0) {
                out.add(new LineRejected(LineError.GARBAGE, in.readableBytes() + " bytes outside an STX/ETX frame"));
                in.skipBytes(in.readableBytes());
                return;
            }
            if (stx > in.readerIndex()) {
                out.add(new LineRejected(LineError.GARBAGE, (stx - in.readerIndex()) + " bytes before STX"));
                in.readerIndex(stx);
            }
            final int etx = in.indexOf(stx + 1, in.writerIndex(), ETX);
            if (etx < 0) {
                if (in.readableBytes() - 1 > maxLength) {
                    out.add(new LineRejected(LineError.OVERSIZE, "frame longer than " + maxLength + " bytes"));
                    in.skipBytes(in.readableBytes());
                    discarding = true;
                }
                return; // wait for the rest of the frame
            }
            final int length = etx - stx - 1;
            if (length > maxLength) {
                out.add(new LineRejected(LineError.OVERSIZE, "frame of " + length + " bytes, the limit is " + maxLength));
            } else {
                out.add(in.toString(stx + 1, length, StandardCharsets.ISO_8859_1));
            }
            in.readerIndex(etx + 1);
        }
    }

    private void decodeLines(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            final int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > maxLength) {
                    if (!discarding) {
                        out.add(new LineRejected(LineError.OVERSIZE, "line longer than " + maxLength + " bytes"));
                    }
                    discarding = true;
                    in.skipBytes(in.readableBytes());
                }
                return;
            }
            int end = lf;
            if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
                end--;
            }
            final int length = end - in.readerIndex();
            if (discarding) {
                discarding = false; // the rest of an over-long line: already reported
            } else if (length > maxLength) {
                out.add(new LineRejected(LineError.OVERSIZE, "line of " + length + " bytes, the limit is " + maxLength));
            } else if (length > 0) {
                out.add(in.toString(in.readerIndex(), length, StandardCharsets.ISO_8859_1));
            }
            in.readerIndex(lf + 1);
        }
    }
}
