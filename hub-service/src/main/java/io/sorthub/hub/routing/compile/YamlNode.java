package io.sorthub.hub.routing.compile;

import java.util.List;
import java.util.Map;

/**
 * A plan's YAML as written: every scalar is its text exactly as in the file (no YAML 1.1
 * typing: {@code 0123}, {@code NO}, {@code 5.10} and {@code 0x1F} stay those characters),
 * every node knows its line. Built by {@link YamlReader}.
 */
sealed interface YamlNode {
    /** 1-based line where the node starts. */
    int line();

    /** A value as written; {@code plain} when unquoted (only a plain {@code ~}, {@code null} or nothing is null). */
    record Scalar(String text, boolean plain, int line) implements YamlNode {
        boolean isNull() {
            return plain && (text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null")
                || text.equals("NULL"));
        }
    }

    /** Keys in file order; each key once ({@link YamlReader} refuses repeats). */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {
        YamlNode get(String key) {
            final Entry entry = entries.get(key);
            return entry == null ? null : entry.value();
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }
    }

    record Entry(String key, int keyLine, YamlNode value) {
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
    }

    /** Something already reported as an error (an alias, a key that is not a name): readers skip it quietly. */
    record Refused(int line) implements YamlNode {
    }
}
