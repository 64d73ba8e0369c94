package io.sorthub.hub.routing.compile;

/**
 * What a sort plan may be, checked before any YAML is parsed. A 100,000-rule plan written
 * one rule per line is about 6 MB with lines under 200 characters (docs/SORT-PLAN.md); the
 * bounds leave room for block-style plans and long prefix lists, and keep parsing linear:
 * the YAML scanner's cost grows with the square of an unbroken run of characters, which a
 * line bound caps.
 */
public final class PlanLimits {
    /** Bytes of plan text (UTF-8), also the HTTP body limit for {@code PUT /api/sort-plan}. */
    public static final int MAX_PLAN_BYTES = 16 * 1024 * 1024;
    /** Characters on one line. */
    public static final int MAX_LINE_CHARS = 16 * 1024;
    /** Items of one list: rules, outlets, a condition's values. */
    public static final int MAX_LIST_ITEMS = 200_000;
    /**
     * Destination and barcode prefixes of all rules together, a range counting the prefixes
     * that cover it (an 18-digit range can take ~300): the size of the plan's indexes.
     */
    public static final int MAX_INDEX_PREFIXES = 1_000_000;
    /** Mappings and lists inside each other (a plan needs four). */
    static final int MAX_DEPTH = 8;

    private PlanLimits() {
    }

    /** Refuses a plan that is too big or has too long a line, in one pass over its characters. */
    static void check(String text) throws SortPlanException {
        if (text.length() > MAX_PLAN_BYTES) {
            throw tooBig("at least " + String.format("%,d", text.length()));
        }
        long bytes = 0;
        int line = 1;
        int lineStart = 0;
        final int length = text.length();
        for (int i = 0; i < length; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
                if (c == '\n' || c == '\r') {
                    checkLine(line, i - lineStart);
                    if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                        i++;
                        bytes++;
                    }
                    line++;
                    lineStart = i + 1;
                }
            } else if (c == '\u0085' || c == '\u2028' || c == '\u2029') {
                // Line breaks to the YAML parser (YAML 1.1), so they number its lines too.
                bytes += c == '\u0085' ? 2 : 3;
                checkLine(line, i - lineStart);
                line++;
                lineStart = i + 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 2; // and 2 for the low surrogate: 4 for the pair
            } else {
                bytes += Character.isLowSurrogate(c) ? 2 : 3;
            }
        }
        checkLine(line, length - lineStart);
        if (bytes > MAX_PLAN_BYTES) {
            throw tooBig(String.format("%,d", bytes));
        }
    }

    private static void checkLine(int line, int chars) throws SortPlanException {
        if (chars > MAX_LINE_CHARS) {
            throw new SortPlanException(new PlanError(line, "", String.format(
                "the line is %,d characters long; a plan line may be at most %,d: break long lists over several lines",
                chars, MAX_LINE_CHARS)));
        }
    }

    private static SortPlanException tooBig(String bytes) {
        return new SortPlanException(new PlanError(1, "", String.format(
            "the plan is %s bytes; a sort plan may be at most %,d bytes (16 MiB)", bytes, MAX_PLAN_BYTES)));
    }
}
