package io.sorthub.hub.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Printable-ASCII codes a field is compared with (barcode prefixes, customers); empty: any. */
public final class CodeList {
    public static final CodeList ANY = new CodeList(List.of());

    private final byte[][] codes;

    public CodeList(List<String> codes) {
        this.codes = codes.stream().map(c -> c.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }

    public boolean isAny() {
        return codes.length == 0;
    }

    /** For the hot path: the codes as bytes, null when any value matches. */
    byte[][] bytesOrNull() {
        return codes.length == 0 ? null : codes;
    }

    public int size() {
        return codes.length;
    }

    public String get(int i) {
        return new String(codes[i], StandardCharsets.US_ASCII);
    }

    /** Every code of this list starts with one of {@code outer}'s. */
    public boolean prefixedBy(CodeList outer) {
        for (byte[] code : codes) {
            boolean found = false;
            for (byte[] prefix : outer.codes) {
                if (prefix.length <= code.length && Arrays.equals(prefix, 0, prefix.length, code, 0, prefix.length)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** Every code of this list is one of {@code outer}'s. */
    public boolean subsetOf(CodeList outer) {
        for (byte[] code : codes) {
            boolean found = false;
            for (byte[] other : outer.codes) {
                if (Arrays.equals(code, other)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
