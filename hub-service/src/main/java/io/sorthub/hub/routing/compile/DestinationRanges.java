package io.sorthub.hub.routing.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * A destination range {@code [from, to]}: digit strings of one length L; a destination
 * matches when its first L characters are digits within the range. The range becomes the
 * few prefixes that cover it (100000..102999 is "100", "101", "102"), so ranges share the
 * prefix index, and the rule checks that the characters up to L are digits.
 */
final class DestinationRanges {
    /** Longest bound: 18 digits still compare as a long. */
    static final int MAX_DIGITS = 18;

    private DestinationRanges() {
    }

    /** @return null, after reporting, when the bounds are not a range */
    static List<String> prefixes(String from, String to, YamlNode node, String where, Problems problems) {
        if (from.isEmpty() || from.length() != to.length() || !from.chars().allMatch(c -> c >= '0' && c <= '9')
            || !to.chars().allMatch(c -> c >= '0' && c <= '9') || from.length() > MAX_DIGITS) {
            problems.error(node, where, "from '" + from + "' and to '" + to
                + "' must be digit strings of the same length (up to " + MAX_DIGITS + ")");
            return null;
        }
        if (from.compareTo(to) > 0) {
            problems.error(node, where, "from '" + from + "' is after to '" + to + "'");
            return null;
        }
        final List<String> out = new ArrayList<>();
        cover(from, to, "", out);
        return out;
    }

    /** For tests and tools: the covering prefixes of a well-formed range. */
    static List<String> prefixes(String from, String to) {
        final List<String> out = new ArrayList<>();
        cover(from, to, "", out);
        return out;
    }

    private static boolean allFrom(String text, int from, char c) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) != c) {
                return false;
            }
        }
        return true;
    }

    /** Emit the minimal prefixes under {@code prefix} covering digit strings in [from, to]. */
    private static void cover(String from, String to, String prefix, List<String> out) {
        final int depth = prefix.length();
        final int remaining = from.length() - depth;
        if (allFrom(from, depth, '0') && allFrom(to, depth, '9')) {
            if (prefix.isEmpty()) {
                for (char d = '0'; d <= '9'; d++) {
                    out.add(String.valueOf(d)); // the whole range: any destination starting with a digit
                }
            } else {
                out.add(prefix);
            }
            return;
        }
        final int lo = from.charAt(depth) - '0';
        final int hi = to.charAt(depth) - '0';
        for (int d = lo; d <= hi; d++) {
            final String lower = d == lo ? from : prefix + d + "0".repeat(remaining - 1);
            final String upper = d == hi ? to : prefix + d + "9".repeat(remaining - 1);
            cover(lower, upper, prefix + d, out);
        }
    }
}
