package io.sorthub.protocol;

/**
 * The two kinds of printable ASCII the hub accepts (docs/PROTOCOL.md, docs/SORT-PLAN.md): a
 * code (barcode, destination, customer, bag or parcel id) is bytes 0x21 to 0x7E, no spaces;
 * a text (a reason, a dry-run field) may also hold spaces, 0x20 to 0x7E. A character is given
 * as a {@code char} or as a byte, sign and all: a byte above 0x7F is negative and so neither.
 */
public final class Ascii {
    private Ascii() {
    }

    public static boolean isCodeChar(int c) {
        return c > 0x20 && c < 0x7F;
    }

    public static boolean isTextChar(int c) {
        return c >= 0x20 && c < 0x7F;
    }

    /** A control character: below 0x20, or DEL (0x7F). For a {@code char} or an unsigned byte. */
    public static boolean isControl(int c) {
        return (c >= 0 && c < 0x20) || c == 0x7F;
    }

    /** Every character a code character (true for an empty string: its length is the caller's rule). */
    public static boolean isCode(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isCodeChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Every character a text character (true for an empty string). */
    public static boolean isText(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTextChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
