package io.sorthub.gateway.scanner;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a scanner delimits its telegrams: an optional header (STX) and a terminator (ETX,
 * CR LF...). A terminator that is CR, LF or CR LF means "a line": then any of CR, LF and
 * CR LF ends a telegram, so a device set to CR alone loses nothing. CR and LF just before
 * the terminator are padding, never data (a SICK CLV sends its CR LF terminator inside
 * STX…ETX), and are dropped.
 */
public final class Framing {
    /** {@code <STX>…<ETX>}: SICK CLV/Lector (with the CLV's CR LF before the ETX). */
    public static final Framing STX_ETX = new Framing(new byte[] {0x02}, new byte[] {0x03});
    /** {@code <STX>…<CR><LF>}: Datalogic's factory header and terminator. */
    public static final Framing STX_CRLF = new Framing(new byte[] {0x02}, new byte[] {'\r', '\n'});
    public static final Framing CRLF = new Framing(new byte[0], new byte[] {'\r', '\n'});
    public static final Framing LF = new Framing(new byte[0], new byte[] {'\n'});
    public static final Framing CR = new Framing(new byte[0], new byte[] {'\r'});

    private static final int MAX_DELIMITER = 8;

    private final byte[] header;
    private final byte[] terminator;
    private final boolean lines;

    /** @throws IllegalArgumentException naming what cannot work */
    public Framing(byte[] header, byte[] terminator) {
        if (terminator == null || terminator.length == 0) {
            throw new IllegalArgumentException("terminator must not be empty");
        }
        if (header.length > MAX_DELIMITER || terminator.length > MAX_DELIMITER) {
            throw new IllegalArgumentException("header and terminator are at most " + MAX_DELIMITER + " bytes");
        }
        final boolean lines = Arrays.equals(terminator, new byte[] {'\r', '\n'})
            || Arrays.equals(terminator, new byte[] {'\n'}) || Arrays.equals(terminator, new byte[] {'\r'});
        if (header.length > 0 && contains(terminator, header[0])) {
            throw new IllegalArgumentException("the header's first byte must not be in the terminator");
        }
        if (lines && (contains(header, (byte) '\r') || contains(header, (byte) '\n'))) {
            throw new IllegalArgumentException("a header must not hold CR or LF when lines end the telegrams");
        }
        this.header = header.clone();
        this.terminator = terminator.clone();
        this.lines = lines;
    }

    /** A named preset: stx_etx, stx_crlf, crlf, lf or cr. */
    public static Framing preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace('-', '_').replace('/', '_')) {
            case "stx_etx" -> STX_ETX;
            case "stx_crlf" -> STX_CRLF;
            case "crlf" -> CRLF;
            case "lf" -> LF;
            case "cr" -> CR;
            default -> throw new IllegalArgumentException("framing '" + name + "' is not stx_etx, stx_crlf, crlf, lf or cr");
        };
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    public byte[] header() {
        return header.clone();
    }

    public byte[] terminator() {
        return terminator.clone();
    }

    int headerLength() {
        return header.length;
    }

    byte headerByte(int i) {
        return header[i];
    }

    int terminatorLength() {
        return terminator.length;
    }

    byte terminatorByte(int i) {
        return terminator[i];
    }

    /** Any of CR, LF and CR LF ends a telegram. */
    public boolean lines() {
        return lines;
    }

    /** E.g. {@code <STX>…<ETX>}. */
    public String describe() {
        return ControlNames.escape(header) + "…" + (lines ? "<CR>|<LF>|<CR><LF>" : ControlNames.escape(terminator));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Framing f && Arrays.equals(header, f.header) && Arrays.equals(terminator, f.terminator);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(header) * 31 + Arrays.hashCode(terminator);
    }

    @Override
    public String toString() {
        return describe();
    }
}
