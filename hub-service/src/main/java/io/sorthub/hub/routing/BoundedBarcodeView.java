package io.sorthub.hub.routing;

import org.agrona.DirectBuffer;

/**
 * The barcode bytes as a CharSequence for barcode patterns, with a step budget. Java's regex
 * engine backtracks: a pattern such as {@code (a+)+b} can take 2^n steps on an unlucky
 * barcode, and on an event loop that would stall every connection it serves. The engine
 * reads the input through {@link #charAt} at every step, so counting those reads bounds a
 * match; past the budget the match is abandoned with a preallocated exception (no stack
 * trace, nothing allocated) and the rule does not match. A sane pattern on a 64-character
 * barcode reads a few hundred characters.
 */
final class BoundedBarcodeView implements CharSequence {
    /** Characters a single match may read: ~0.1 ms of matching. */
    static final int BUDGET = 50_000;
    static final RuntimeException EXHAUSTED = new BudgetExhausted();

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int remaining;

    BoundedBarcodeView wrap(DirectBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.remaining = BUDGET;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw EXHAUSTED;
        }
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (buffer.getByte(offset + index) & 0xFF);
    }

    /** Not used by {@code matches()}; allocates. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted() {
            super("barcode pattern exceeded its step budget", null, false, false);
        }
    }
}
