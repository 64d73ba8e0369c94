package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.compile.YamlNode.Mapping;
import io.sorthub.hub.routing.compile.YamlNode.Refused;
import io.sorthub.hub.routing.compile.YamlNode.Scalar;
import io.sorthub.hub.routing.compile.YamlNode.Sequence;
import io.sorthub.protocol.Ascii;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one field's value the way the plan language defines it, reporting what is wrong
 * with the value's line. Codes are text exactly as written; numbers are plain decimal
 * digits; booleans are {@code true} or {@code false}; a field that is present has a value
 * (a condition set to {@code null} or {@code ~} would otherwise match every parcel). Each
 * reader returns null after reporting a problem, so that reading goes on to find the next.
 */
final class FieldReader {
    private final Problems problems;

    FieldReader(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** A mapping whose keys are all in {@code allowed}; unknown keys are reported by name and line. */
    Mapping mapping(YamlNode node, String where, Set<String> allowed, String shape) {
        if (node instanceof Refused || absent(node, where)) {
            return null;
        }
        if (!(node instanceof Mapping mapping)) {
            problems.error(node, where, "expected " + shape);
            return null;
        }
        for (YamlNode.Entry entry : mapping.entries().values()) {
            if (!allowed.contains(entry.key())) {
                problems.error(entry.keyLine(), where, "unknown field '" + entry.key() + "'; expected one of "
                    + new TreeSet<>(allowed));
            }
        }
        return mapping;
    }

    /** A value as written (quoted or not). */
    String text(YamlNode node, String where) {
        if (node instanceof Refused || absent(node, where)) {
            return null;
        }
        if (!(node instanceof Scalar scalar)) {
            problems.error(node, where, "expected a single value, not a " + (node instanceof Mapping ? "mapping" : "list"));
            return null;
        }
        return scalar.text();
    }

    /** A value or a list of values, each as written; never empty. */
    List<String> texts(YamlNode node, String where) {
        if (node instanceof Refused || absent(node, where)) {
            return null;
        }
        if (node instanceof Scalar) {
            final String value = text(node, where);
            if (value != null && value.isEmpty()) {
                problems.error(node, where, "must not be empty");
                return null;
            }
            return value == null ? null : List.of(value);
        }
        if (!(node instanceof Sequence list)) {
            problems.error(node, where, "expected a value or a list of values");
            return null;
        }
        if (list.items().isEmpty()) {
            problems.error(node, where, "must not be an empty list; leave the field out to match everything");
            return null;
        }
        final List<String> values = new ArrayList<>(list.items().size());
        boolean ok = true;
        for (int i = 0; i < list.items().size(); i++) {
            final String value = text(list.items().get(i), where + "[" + i + "]");
            if (value != null && value.isEmpty()) {
                problems.error(list.items().get(i), where + "[" + i + "]", "must not be empty");
                ok = false;
            } else if (value == null) {
                ok = false;
            } else {
                values.add(value);
            }
        }
        return ok ? values : null;
    }

    /** A list (of anything); null after reporting when the node is something else. */
    List<YamlNode> list(YamlNode node, String where, String shape) {
        if (node instanceof Refused || absent(node, where)) {
            return null;
        }
        if (!(node instanceof Sequence list)) {
            problems.error(node, where, "expected " + shape);
            return null;
        }
        return list.items();
    }

    /**
     * A whole number written in decimal digits, within [min, max]. Forms that YAML 1.1
     * tools read differently ({@code 0755} as octal, {@code 0x1F}, {@code 1_000}, {@code +5})
     * are refused rather than guessed at.
     */
    Long wholeNumber(YamlNode node, String where, long min, long max) {
        final String text = text(node, where);
        if (text == null) {
            return null;
        }
        final boolean digits = !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            problems.error(node, where, "'" + text + "' is not a whole number (write it in decimal digits, e.g. 42)");
            return null;
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            problems.error(node, where, "'" + text + "' has a leading zero, which some YAML tools read as octal; write "
                + text.replaceFirst("^0+(?=.)", ""));
            return null;
        }
        if (text.length() > 18 || Long.parseLong(text) < min || Long.parseLong(text) > max) {
            problems.error(node, where, text + " is out of range " + min + ".." + max);
            return null;
        }
        return Long.parseLong(text);
    }

    Integer wholeInt(YamlNode node, String where, int min, int max) {
        final Long value = wholeNumber(node, where, min, max);
        return value == null ? null : (int) (long) value;
    }

    /** {@code true} or {@code false} (YAML 1.2 spellings); yes/no/on/off mean different things to different tools. */
    Boolean bool(YamlNode node, String where) {
        final String text = text(node, where);
        if (text == null) {
            return null;
        }
        switch (text) {
            case "true", "True", "TRUE" -> {
                return true;
            }
            case "false", "False", "FALSE" -> {
                return false;
            }
            default -> {
                problems.error(node, where, "expected true or false, not '" + text + "'");
                return null;
            }
        }
    }

    /** "HH:MM", 00:00 to 24:00, as minutes of the day (24:00 is midnight at the end of the day: 0). */
    Integer timeOfDay(YamlNode node, String where) {
        final String text = text(node, where);
        if (text == null) {
            return null;
        }
        if (text.matches("([01][0-9]|2[0-3]):[0-5][0-9]|24:00|[0-9]:[0-5][0-9]")) {
            final int colon = text.indexOf(':');
            return (Integer.parseInt(text.substring(0, colon)) * 60 + Integer.parseInt(text.substring(colon + 1))) % 1440;
        }
        problems.error(node, where, "'" + text + "' is not a time of day HH:MM");
        return null;
    }

    ZoneId zone(YamlNode node, String where) {
        final String text = text(node, where);
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            problems.error(node, where, "'" + text + "' is not a time zone (e.g. Asia/Shanghai)");
            return null;
        }
    }

    /** A code or a list of codes (see {@link #code}); never empty. */
    List<String> codes(YamlNode node, String where, int maxLength) {
        final List<String> values = texts(node, where);
        if (values == null) {
            return null;
        }
        boolean ok = true;
        for (int i = 0; i < values.size(); i++) {
            final YamlNode item = node instanceof Sequence list ? list.items().get(i) : node;
            ok &= code(values.get(i), item, node instanceof Sequence ? where + "[" + i + "]" : where, maxLength) != null;
        }
        return ok ? values : null;
    }

    /** Printable ASCII (0x21 to 0x7E: no spaces, no control bytes), 1 to {@code maxLength} characters. */
    String code(String value, YamlNode node, String where, int maxLength) {
        if (value.isEmpty() || value.length() > maxLength || !Ascii.isCode(value)) {
            problems.error(node, where, "'" + value + "' must be 1 to " + maxLength
                + " printable ASCII characters (0x21 to 0x7E, no spaces)");
            return null;
        }
        return value;
    }

    /** A field that is present must have a value: {@code field: ~} would otherwise mean "any". */
    private boolean absent(YamlNode node, String where) {
        if (node instanceof Scalar scalar && scalar.isNull()) {
            problems.error(node, where, "has no value (null); give one, or leave the field out");
            return true;
        }
        return node == null;
    }
}
