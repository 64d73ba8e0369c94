package io.sorthub.gateway.scanner;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * Splits a scanner's byte stream into telegrams by its {@link Framing}: emits each telegram's
 * body as a slice (header, terminator and CR/LF padding removed), in the manner of Netty's
 * {@code LineBasedFrameDecoder} and {@code DelimiterBasedFrameDecoder}. One per device
 * connection, on that connection's event loop.
 *
 * <p>It remembers how far it has searched the bytes waiting for a terminator and carries on
 * from there when more arrive, so a slow telegram costs one pass, not one per TCP segment.
 * A header inside an unfinished telegram starts a new telegram: the unfinished one is
 * reported, the new one decodes, so a lost terminator costs one read and never two.
 *
 * <p>Never throws on bad input: everything it drops becomes a {@link LineRejected} naming
 * what and how many bytes ({@link LineError#GARBAGE} outside telegrams,
 * {@link LineError#UNTERMINATED}, {@link LineError#OVERSIZE}), and decoding carries on. An
 * over-long telegram is not buffered: its bytes are dropped as they come. CR and LF between
 * telegrams, and at either end of a body whose terminator is not a line end, are padding:
 * skipped without a count; so are empty lines.
 */
public final class TelegramDecoder extends ByteToMessageDecoder {
    /** Bytes of a dropped run quoted in its report. */
    private static final int PREVIEW = 32;
    /** CR LF that may pad a body before its terminator, allowed on top of the limit. */
    private static final int PADDING = 2;

    private final Framing framing;
    private final int maxLength;
    private final boolean headed;
    private final ByteProcessor notDelimiterStart;

    /** Headed framing: the header has been read and the body starts at the reader index. */
    private boolean inTelegram;
    /** Bytes after the reader index already searched without finding a delimiter. */
    private int scanned;
    /** Over the limit: bytes are dropped up to the next terminator (or header). */
    private boolean discarding;
    /** A line ended with CR as the last byte read: an LF next is part of that line end. */
    private boolean skipLf;
    /** Bytes outside telegrams not yet reported, and the first of them. */
    private long outside;
    private final StringBuilder outsidePreview = new StringBuilder();

    public TelegramDecoder(Framing framing, int maxLength) {
        this.framing = framing;
        this.maxLength = maxLength;
        this.headed = framing.headerLength() > 0;
        final boolean lines = framing.lines();
        final byte t0 = framing.terminatorByte(0);
        final byte h0 = headed ? framing.headerByte(0) : 0;
        this.notDelimiterStart = b -> !((lines ? b == '\r' || b == '\n' : b == t0) || (headed && b == h0));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (skipLf) {
                skipLf = false;
                if (in.getByte(in.readerIndex()) == '\n') {
                    in.skipBytes(1);
                    continue;
                }
            }
            if (headed && !inTelegram) {
                if (!findHeader(in, out)) {
                    return;
                }
            } else if (!findEnd(in, out)) {
                return;
            }
        }
    }

    /** @return true when a header was consumed (a telegram has begun) */
    private boolean findHeader(ByteBuf in, List<Object> out) {
        final int start = in.readerIndex();
        final int end = in.writerIndex();
        int i = in.forEachByte(start + scanned, end - start - scanned, notDelimiterStart);
        while (i >= 0) {
            if (in.getByte(i) == framing.headerByte(0)) {
                final int match = match(in, i, framing.headerLength(), true);
                if (match > 0) {
                    dropOutside(in, i - start);
                    reportOutside(out);
                    in.skipBytes(framing.headerLength());
                    inTelegram = true;
                    scanned = 0;
                    return true;
                }
                if (match < 0) { // a header may be arriving in pieces
                    dropOutside(in, i - start);
                    scanned = 0;
                    return false;
                }
            }
            i = in.forEachByte(i + 1, end - i - 1, notDelimiterStart);
        }
        dropOutside(in, end - start);
        if (outside >= maxLength) {
            reportOutside(out); // a device sending only garbage is reported as it goes, not at the next header
        }
        scanned = 0;
        return false;
    }

    /** @return true when a telegram (or a dropped over-long one) ended; false to wait for more bytes */
    private boolean findEnd(ByteBuf in, List<Object> out) {
        final int start = in.readerIndex();
        final int end = in.writerIndex();
        int i = in.forEachByte(start + scanned, end - start - scanned, notDelimiterStart);
        while (i >= 0) {
            final byte b = in.getByte(i);
            if (headed && b == framing.headerByte(0)) {
                final int match = match(in, i, framing.headerLength(), true);
                if (match > 0) {
                    cutByHeader(in, i, out);
                    return true;
                }
                if (match < 0) {
                    return waitAt(in, i, out);
                }
            }
            if (framing.lines() && (b == '\r' || b == '\n')) {
                int length = 1;
                if (b == '\r') {
                    if (i + 1 < end) {
                        length = in.getByte(i + 1) == '\n' ? 2 : 1;
                    } else {
                        skipLf = true;
                    }
                }
                ended(in, i, length, out);
                return true;
            }
            if (!framing.lines() && b == framing.terminatorByte(0)) {
                final int match = match(in, i, framing.terminatorLength(), false);
                if (match > 0) {
                    ended(in, i, framing.terminatorLength(), out);
                    return true;
                }
                if (match < 0) {
                    return waitAt(in, i, out);
                }
            }
            i = in.forEachByte(i + 1, end - i - 1, notDelimiterStart);
        }
        return waitAt(in, end, out);
    }

    /**
     * No delimiter before {@code at} (a delimiter may start there): remember how far was
     * searched; past the limit, report once and drop what cannot be a delimiter.
     */
    private boolean waitAt(ByteBuf in, int at, List<Object> out) {
        final int start = in.readerIndex();
        final int body = at - start;
        if (!discarding && body > maxLength + PADDING) {
            out.add(new LineRejected(LineError.OVERSIZE, "telegram longer than " + maxLength + " bytes" + startOf(in, start,
                body) + "; dropped up to its end", "", true));
            discarding = true;
        }
        if (discarding) {
            in.skipBytes(body); // no delimiter starts before `at`: nothing there is worth keeping
            scanned = 0;
        } else {
            scanned = body;
        }
        return false;
    }

    private void ended(ByteBuf in, int at, int terminatorLength, List<Object> out) {
        int start = in.readerIndex();
        int bodyEnd = at;
        if (!framing.lines()) {
            while (bodyEnd > start && padding(in.getByte(bodyEnd - 1))) {
                bodyEnd--;
            }
            while (start < bodyEnd && padding(in.getByte(start))) {
                start++;
            }
        }
        final int length = bodyEnd - start;
        if (discarding) {
            discarding = false; // the end of an over-long telegram, reported when it passed the limit
        } else if (length > maxLength) {
            out.add(new LineRejected(LineError.OVERSIZE, "telegram of " + length + " bytes, the limit is " + maxLength
                + startOf(in, start, length), "", true));
        } else if (length > 0 || headed) {
            out.add(in.retainedSlice(start, length));
        }
        in.readerIndex(at + terminatorLength);
        inTelegram = false;
        scanned = 0;
    }

    /** A new header before the terminator: the unfinished telegram is reported, the new one starts. */
    private void cutByHeader(ByteBuf in, int headerAt, List<Object> out) {
        final int start = in.readerIndex();
        if (discarding) {
            discarding = false;
        } else {
            out.add(LineRejected.framing(LineError.UNTERMINATED, (headerAt - start) + " bytes after "
                + ControlNames.escape(framing.header()) + " with no " + ControlNames.escape(framing.terminator())
                + " before the next " + ControlNames.escape(framing.header()) + startOf(in, start, headerAt - start)));
        }
        in.readerIndex(headerAt);
        inTelegram = false;
        scanned = 0;
    }

    /**
     * @return 1 when the delimiter is at {@code at}; -1 when the bytes there are a prefix of it
     *         and the rest has not arrived; 0 when it is not there
     */
    private int match(ByteBuf in, int at, int length, boolean header) {
        for (int k = 0; k < length; k++) {
            if (at + k >= in.writerIndex()) {
                return -1;
            }
            if (in.getByte(at + k) != (header ? framing.headerByte(k) : framing.terminatorByte(k))) {
                return 0;
            }
        }
        return 1;
    }

    private static boolean padding(byte b) {
        return b == '\r' || b == '\n';
    }

    /** Drop bytes outside telegrams; CR and LF alone between telegrams are not counted. */
    private void dropOutside(ByteBuf in, int length) {
        for (int k = 0; k < length; k++) {
            final byte b = in.getByte(in.readerIndex() + k);
            if (outside > 0 || (b != '\r' && b != '\n')) {
                if (outsidePreview.length() < PREVIEW) {
                    ControlNames.appendEscaped(outsidePreview, b & 0xFF);
                }
                outside++;
            }
        }
        in.skipBytes(length);
    }

    private void reportOutside(List<Object> out) {
        if (outside > 0) {
            out.add(LineRejected.framing(LineError.GARBAGE, outside + " bytes outside any "
                + ControlNames.escape(framing.header()) + "…" + ControlNames.escape(framing.terminator())
                + " telegram: '" + outsidePreview + (outside > PREVIEW ? "…" : "") + "'"));
            outside = 0;
            outsidePreview.setLength(0);
        }
    }

    private static String startOf(ByteBuf in, int start, int length) {
        final StringBuilder text = new StringBuilder(": '");
        for (int k = 0; k < Math.min(length, PREVIEW); k++) {
            ControlNames.appendEscaped(text, in.getByte(start + k) & 0xFF);
        }
        return text.append(length > PREVIEW ? "…'" : "'").toString();
    }

    /** The device closed the connection: what is left is reported, never lost without a count. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (headed && !inTelegram) {
            dropOutside(in, in.readableBytes()); // the start of a header that never finished
        }
        reportOutside(out);
        final int left = in.readableBytes();
        if (discarding) {
            discarding = false;
        } else if (inTelegram || (!headed && left > 0 && !blank(in))) {
            out.add(LineRejected.framing(LineError.UNTERMINATED, left + " bytes " + (headed ? "after "
                + ControlNames.escape(framing.header()) + " " : "") + "with no "
                + ControlNames.escape(framing.terminator()) + " when the device closed the connection"
                + startOf(in, in.readerIndex(), left)));
        }
        in.skipBytes(left);
        inTelegram = false;
        scanned = 0;
    }

    private static boolean blank(ByteBuf in) {
        return in.forEachByte(b -> b == '\r' || b == '\n') < 0;
    }
}
