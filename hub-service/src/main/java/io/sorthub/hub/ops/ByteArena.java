package io.sorthub.hub.ops;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Short texts (barcodes, reasons, parcel ids) kept in one growing byte array, each as a length
 * byte and its ASCII bytes, found by offset: millions of entries without an object each.
 * Appended to by one writer at a time; a grown array is published whole, before any table
 * entry that points into it, so readers holding an offset from the table always see it.
 */
final class ByteArena {
    private volatile UnsafeBuffer bytes;
    private int used = 1; // offset 0 means "none"

    ByteArena(int initialBytes) {
        bytes = new UnsafeBuffer(new byte[Math.max(64, initialBytes)]);
    }

    /** One writer at a time (the owner's lock): returns the text's offset. */
    int append(byte[] text) {
        final int need = used + 1 + text.length;
        UnsafeBuffer b = bytes;
        if (need > b.capacity()) {
            final byte[] grown = java.util.Arrays.copyOf(b.byteArray(), Math.max(need, b.capacity() * 2));
            b = new UnsafeBuffer(grown);
            bytes = b;
        }
        final int at = used;
        b.putByte(at, (byte) text.length);
        b.putBytes(at + 1, text);
        used = need;
        return at;
    }

    /** Any thread. */
    UnsafeBuffer buffer() {
        return bytes;
    }

    static int length(UnsafeBuffer b, int at) {
        return b.getByte(at) & 0xFF;
    }

    /** Any thread: whether the text at {@code at} in {@code b} is {@code length} bytes equal to those in {@code other}. */
    static boolean matches(UnsafeBuffer b, int at, org.agrona.DirectBuffer other, int offset, int length) {
        if (length(b, at) != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b.getByte(at + 1 + i) != other.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    String text(int at) {
        final UnsafeBuffer b = bytes;
        return b.getStringWithoutLengthAscii(at + 1, length(b, at));
    }

    int used() {
        return used;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
