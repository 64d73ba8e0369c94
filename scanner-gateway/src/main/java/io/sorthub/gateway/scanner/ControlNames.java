package io.sorthub.gateway.scanner;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bytes as vendor manuals write them: {@code <STX>}, {@code <CR><LF>}, {@code <0xC3>}.
 * Parses the settings of a profile ({@code terminator: "<CR><LF><ETX>"}) and escapes what a
 * device sent for log lines and the capture command.
 */
public final class ControlNames {
    private static final String[] NAMES = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF",
        "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
        "FS", "GS", "RS", "US"};

    private ControlNames() {
    }

    /**
     * {@code "<STX>"} → 0x02, {@code "<TAB>"} → 0x09, {@code "<0x1d>"} → 0x1D; other characters
     * stand for themselves (ISO-8859-1). A literal {@code <} before a {@code >} is {@code <0x3C>}:
     * a misspelt name is an error, not text.
     *
     * @throws IllegalArgumentException naming the unknown {@code <NAME>}
     */
    public static byte[] parse(String text) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            final int close = c == '<' ? text.indexOf('>', i + 1) : -1;
            if (close > i + 1) {
                final int b = byteNamed(text.substring(i + 1, close));
                if (b >= 0) {
                    out.write(b);
                    i = close;
                    continue;
                }
                throw new IllegalArgumentException("'" + text.substring(i, close + 1)
                    + "' is not a control character name (<STX>, <ETX>, <CR>, <LF>, <TAB>, <0x1D>...)");
            }
            if (c > 0xFF) {
                throw new IllegalArgumentException("'" + c + "' is not a single byte");
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    private static int byteNamed(String name) {
        final String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals("TAB")) {
            return 0x09;
        }
        if (upper.equals("DEL")) {
            return 0x7F;
        }
        if (upper.equals("SP")) {
            return 0x20;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(upper)) {
                return i;
            }
        }
        if (upper.startsWith("0X") && upper.length() == 4) {
            try {
                return Integer.parseInt(upper.substring(2), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** Printable ASCII as it is, a control byte by its name, anything else (and '<') as {@code <0xNN>}. */
    public static String escape(byte[] bytes, int offset, int length) {
        final StringBuilder out = new StringBuilder(length + 8);
        for (int i = offset; i < offset + length; i++) {
            appendEscaped(out, bytes[i] & 0xFF);
        }
        return out.toString();
    }

    public static String escape(byte[] bytes) {
        return escape(bytes, 0, bytes.length);
    }

    /** Characters up to 0xFF as bytes (text decoded as ISO-8859-1), escaped. */
    public static String escape(CharSequence text) {
        final StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            appendEscaped(out, text.charAt(i));
        }
        return out.toString();
    }

    static void appendEscaped(StringBuilder out, int b) {
        if (b < 0x20) {
            out.append('<').append(NAMES[b]).append('>');
        } else if (b == 0x7F) {
            out.append("<DEL>");
        } else if (b > 0x7E || b == '<') {
            out.append(String.format("<0x%02X>", b)); // '<' too: so that what is printed parses back
        } else {
            out.append((char) b);
        }
    }
}
