package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.compile.YamlNode.Mapping;
import io.sorthub.hub.routing.compile.YamlNode.Refused;
import io.sorthub.hub.routing.compile.YamlNode.Scalar;
import io.sorthub.hub.routing.compile.YamlNode.Sequence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What changed between two sort plans, as an engineer reviews it: settings, outlets and
 * groups by id, and rules by id (added, removed, changed field by field, moved in plan
 * order), each with its lines in both files. Values compare as written, ignoring quoting,
 * the order of a mapping's keys, and a single value versus a one-item list. Both plans
 * must compile: {@link #of} refuses a plan with errors.
 */
public record PlanDiff(List<Change> changes) {
    public enum Kind { ADDED, REMOVED, CHANGED, MOVED }

    /**
     * @param section "setting", "outlet", "group" or "rule"
     * @param key     the setting's name or the id
     * @param oldLine 0 when added; @param newLine 0 when removed
     * @param details for a change, one "field: old -> new" per field; for added and removed, the definition
     */
    public record Change(String section, String key, Kind kind, int oldLine, int newLine, List<String> details) {
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public long count(String section, Kind kind) {
        return changes.stream().filter(c -> c.section().equals(section) && c.kind() == kind).count();
    }

    /** @throws SortPlanException naming each plan's errors, when either does not compile */
    public static PlanDiff of(String oldText, String newText) throws SortPlanException {
        final SortPlanCompiler compiler = new SortPlanCompiler();
        try {
            compiler.compile(oldText, 0);
        } catch (SortPlanException e) {
            throw e.in("the old plan");
        }
        try {
            compiler.compile(newText, 0);
        } catch (SortPlanException e) {
            throw e.in("the new plan");
        }
        final Mapping before = (Mapping) YamlReader.read(oldText, new Problems());
        final Mapping after = (Mapping) YamlReader.read(newText, new Problems());
        final List<Change> changes = new ArrayList<>();
        settings(before, after, changes);
        byId("outlet", items(before, "outlets", "id"), items(after, "outlets", "id"), changes, false);
        byId("group", items(before, "groups", "id"), items(after, "groups", "id"), changes, false);
        byId("rule", items(before, "rules", "id"), items(after, "rules", "id"), changes, true);
        return new PlanDiff(List.copyOf(changes));
    }

    private static void settings(Mapping before, Mapping after, List<Change> out) {
        final Set<String> names = new LinkedHashSet<>(before.entries().keySet());
        names.addAll(after.entries().keySet());
        for (String name : names) {
            if (name.equals("outlets") || name.equals("groups") || name.equals("rules")) {
                continue;
            }
            final YamlNode a = before.get(name);
            final YamlNode b = after.get(name);
            if (a == null) {
                out.add(new Change("setting", name, Kind.ADDED, 0, b.line(), List.of(text(b))));
            } else if (b == null) {
                out.add(new Change("setting", name, Kind.REMOVED, a.line(), 0, List.of(text(a))));
            } else if (!text(a).equals(text(b))) {
                out.add(new Change("setting", name, Kind.CHANGED, a.line(), b.line(), List.of(text(a) + " -> " + text(b))));
            }
        }
    }

    /** A list section's mappings by their id, in file order. */
    private static LinkedHashMap<String, Mapping> items(Mapping root, String section, String idField) {
        final LinkedHashMap<String, Mapping> items = new LinkedHashMap<>();
        if (root.get(section) instanceof Sequence list) {
            for (YamlNode item : list.items()) {
                if (item instanceof Mapping mapping && mapping.get(idField) != null) {
                    items.put(text(mapping.get(idField)), mapping);
                }
            }
        }
        return items;
    }

    private static void byId(String section, LinkedHashMap<String, Mapping> before, LinkedHashMap<String, Mapping> after,
                             List<Change> out, boolean ordered) {
        for (Map.Entry<String, Mapping> entry : before.entrySet()) {
            final Mapping b = after.get(entry.getKey());
            final Mapping a = entry.getValue();
            if (b == null) {
                out.add(new Change(section, entry.getKey(), Kind.REMOVED, a.line(), 0, List.of(text(a))));
            } else {
                final List<String> fields = fieldChanges(a, b);
                if (!fields.isEmpty()) {
                    out.add(new Change(section, entry.getKey(), Kind.CHANGED, a.line(), b.line(), fields));
                }
            }
        }
        for (Map.Entry<String, Mapping> entry : after.entrySet()) {
            if (!before.containsKey(entry.getKey())) {
                out.add(new Change(section, entry.getKey(), Kind.ADDED, 0, entry.getValue().line(), List.of(text(entry.getValue()))));
            }
        }
        if (ordered) {
            moved(section, before, after, out);
        }
    }

    private static List<String> fieldChanges(Mapping a, Mapping b) {
        final Set<String> names = new LinkedHashSet<>(a.entries().keySet());
        names.addAll(b.entries().keySet());
        final List<String> changes = new ArrayList<>();
        for (String name : names) {
            final YamlNode x = a.get(name);
            final YamlNode y = b.get(name);
            if (x == null) {
                changes.add(name + " added: " + text(y));
            } else if (y == null) {
                changes.add(name + " removed (was " + text(x) + ")");
            } else if (!text(x).equals(text(y))) {
                changes.add(name + ": " + text(x) + " -> " + text(y));
            }
        }
        return changes;
    }

    /**
     * Rules kept by both plans whose order changed: the fewest rules whose moving explains
     * the new order (those off a longest run kept in the old order). Order is what decides
     * between overlapping rules, so a move can change where parcels go.
     */
    private static void moved(String section, LinkedHashMap<String, Mapping> before, LinkedHashMap<String, Mapping> after,
                              List<Change> out) {
        final Map<String, Integer> oldPosition = new LinkedHashMap<>();
        int p = 0;
        for (String id : before.keySet()) {
            if (after.containsKey(id)) {
                oldPosition.put(id, p++);
            }
        }
        final List<String> kept = after.keySet().stream().filter(oldPosition::containsKey).toList();
        final int[] positions = kept.stream().mapToInt(oldPosition::get).toArray();
        final boolean[] inOrder = longestIncreasing(positions);
        for (int i = 0; i < kept.size(); i++) {
            if (!inOrder[i]) {
                final String id = kept.get(i);
                out.add(new Change(section, id, Kind.MOVED, before.get(id).line(), after.get(id).line(),
                    List.of(i == 0 ? "now first" : "now after " + section + " " + kept.get(i - 1))));
            }
        }
    }

    /** Marks the members of one longest strictly increasing subsequence (patience sorting, n log n). */
    static boolean[] longestIncreasing(int[] values) {
        final int n = values.length;
        final int[] tails = new int[n];       // index of the smallest tail of a run of each length
        final int[] previous = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            int low = 0;
            int high = length;
            while (low < high) {
                final int mid = (low + high) >>> 1;
                if (values[tails[mid]] < values[i]) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            previous[i] = low > 0 ? tails[low - 1] : -1;
            tails[low] = i;
            length = Math.max(length, low + 1);
        }
        final boolean[] member = new boolean[n];
        for (int i = length == 0 ? -1 : tails[length - 1]; i >= 0; i = previous[i]) {
            member[i] = true;
        }
        return member;
    }

    /** A value as a reader sees it: quoting, key order and one-item lists do not matter. */
    static String text(YamlNode node) {
        if (node instanceof Scalar scalar) {
            return scalar.text();
        }
        if (node instanceof Sequence list) {
            return list.items().size() == 1 && list.items().get(0) instanceof Scalar only ? only.text()
                : list.items().stream().map(PlanDiff::text).collect(Collectors.joining(", ", "[", "]"));
        }
        if (node instanceof Mapping mapping) {
            final TreeMap<String, String> sorted = new TreeMap<>();
            mapping.entries().forEach((k, e) -> sorted.put(k, text(e.value())));
            return sorted.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        }
        return node instanceof Refused ? "?" : String.valueOf(node);
    }

    @Override
    public String toString() {
        return changes.stream().map(c -> c.section() + " " + c.key() + " " + c.kind() + " " + c.details())
            .collect(Collectors.joining("\n"));
    }
}
