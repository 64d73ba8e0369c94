package io.sorthub.hub.routing;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The words a scanner sends in place of a barcode when it read nothing ("NOREAD", "NoRead"):
 * a SORT_REQUEST whose barcode is one of them, in any letter case, is a no-read, not a parcel
 * whose barcode is the word. Compared without allocation, on the event loop.
 */
public final class NoReadWords {
    /** When the plan names none: the usual vendor words. */
    public static final NoReadWords DEFAULT = of(List.of("NOREAD", "NO_READ"));
    public static final NoReadWords NONE = of(List.of());

    private final byte[][] upperCase;

    private NoReadWords(byte[][] upperCase) {
        this.upperCase = upperCase;
    }

    /** @param words printable ASCII, at most 64 characters each (checked by the compiler) */
    public static NoReadWords of(List<String> words) {
        final byte[][] out = new byte[words.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = words.get(i).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        return new NoReadWords(out);
    }

    public boolean matches(DirectBuffer buffer, int offset, int length) {
        for (byte[] word : upperCase) {
            if (word.length == length && equalsIgnoringCase(word, buffer, offset)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoringCase(byte[] upper, DirectBuffer buffer, int offset) {
        for (int i = 0; i < upper.length; i++) {
            int b = buffer.getByte(offset + i);
            if (b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != upper[i]) {
                return false;
            }
        }
        return true;
    }
}
