package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.Outlet;
import io.sorthub.hub.routing.OutletType;
import io.sorthub.hub.routing.compile.YamlNode.Mapping;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan's {@code outlets} and {@code groups}: which outlet ids exist, what they are for,
 * and which outlets stand in for each other. Rules and the top-level outlet fields refer
 * to them through {@link #known} and {@link #targets}.
 */
final class OutletsReader {
    static final int MAX_OUTLET_ID = 0xFFFF;
    private static final Set<String> OUTLET_FIELDS = Set.of("id", "name", "type");
    private static final Set<String> GROUP_FIELDS = Set.of("id", "name", "outlets");

    private final FieldReader fields;
    private final Problems problems;
    private final Map<Integer, Outlet> outlets = new LinkedHashMap<>();
    private final Map<String, int[]> groups = new LinkedHashMap<>();
    private final Map<Integer, String> groupOfOutlet = new HashMap<>();

    OutletsReader(FieldReader fields) {
        this.fields = fields;
        this.problems = fields.problems();
    }

    Map<Integer, Outlet> outlets() {
        return outlets;
    }

    Map<String, int[]> groups() {
        return groups;
    }

    void readOutlets(Mapping root) {
        if (!root.has("outlets")) {
            problems.error(1, "", "sort plan has no outlets: 'outlets' must be a non-empty list");
            return;
        }
        final List<YamlNode> nodes = fields.list(root.get("outlets"), "outlets",
            "a list of outlets, e.g. [{id: 1, name: \"Beijing A\"}]");
        if (nodes == null) {
            return;
        }
        if (nodes.isEmpty()) {
            problems.error(root.get("outlets"), "outlets", "sort plan has no outlets: 'outlets' must be a non-empty list");
            return;
        }
        for (int i = 0; i < nodes.size(); i++) {
            String where = "outlets[" + i + "]";
            final Mapping node = fields.mapping(nodes.get(i), where, OUTLET_FIELDS, "an outlet: {id: N, name: ..., type: ...}");
            if (node == null) {
                continue;
            }
            if (!node.has("id")) {
                problems.error(node, where, "id is missing");
                continue;
            }
            final Integer id = fields.wholeInt(node.get("id"), where + ": id", 1, MAX_OUTLET_ID);
            if (id == null) {
                continue;
            }
            where = "outlets[" + i + "] (outlet " + id + ")";
            OutletType type = OutletType.REGULAR;
            if (node.has("type")) {
                final String typeText = fields.text(node.get("type"), where + ": type");
                type = typeText == null ? null : OutletType.parse(typeText);
                if (typeText != null && type == null) {
                    problems.error(node.get("type"), where + ": type", "unknown type '" + typeText
                        + "'; expected regular, reject, overflow or manual-handling");
                }
            }
            final String name = node.has("name") ? fields.text(node.get("name"), where + ": name") : "outlet " + id;
            if (outlets.containsKey(id)) {
                problems.error(node, where, "outlet id " + id + " is defined twice");
            } else if (type != null && name != null) {
                outlets.put(id, new Outlet(id, name, type));
            }
        }
    }

    void readGroups(Mapping root) {
        if (!root.has("groups")) {
            return;
        }
        final List<YamlNode> nodes = fields.list(root.get("groups"), "groups",
            "a list of groups, e.g. [{id: BEIJING, outlets: [1, 2]}]");
        for (int i = 0; nodes != null && i < nodes.size(); i++) {
            String where = "groups[" + i + "]";
            final Mapping node = fields.mapping(nodes.get(i), where, GROUP_FIELDS, "a group: {id: NAME, outlets: [...]}");
            if (node == null) {
                continue;
            }
            if (!node.has("id")) {
                problems.error(node, where, "id is missing");
                continue;
            }
            final String id = fields.text(node.get("id"), where + ": id");
            if (id == null) {
                continue;
            }
            if (id.isEmpty()) {
                problems.error(node.get("id"), where + ": id", "must not be empty");
                continue;
            }
            where = "groups[" + i + "] (group " + id + ")";
            if (node.has("name")) {
                fields.text(node.get("name"), where + ": name");
            }
            if (!node.has("outlets")) {
                problems.error(node, where, "outlets is missing: a group needs a non-empty list of outlet ids");
                continue;
            }
            final List<YamlNode> members = fields.list(node.get("outlets"), where + ": outlets", "a list of outlet ids");
            if (members == null) {
                continue;
            }
            if (members.isEmpty()) {
                problems.error(node.get("outlets"), where + ": outlets", "must be a non-empty list of outlet ids");
                continue;
            }
            final int[] list = new int[members.size()];
            boolean ok = true;
            for (int m = 0; m < list.length; m++) {
                final Integer outlet = known(members.get(m), where + ": outlets[" + m + "]");
                if (outlet == null) {
                    ok = false;
                    continue;
                }
                list[m] = outlet;
                final String other = groupOfOutlet.putIfAbsent(outlet, id);
                if (other != null) {
                    problems.error(members.get(m), where, "outlet " + outlet + " is already in group " + other
                        + "; an outlet belongs to one group at most");
                    ok = false;
                }
            }
            if (groups.containsKey(id)) {
                problems.error(node, where, "group id " + id + " is defined twice");
            } else if (ok) {
                groups.put(id, list);
            }
        }
    }

    /** An outlet id the plan defines; null after reporting. */
    Integer known(YamlNode node, String where) {
        final Integer id = fields.wholeInt(node, where, 1, MAX_OUTLET_ID);
        if (id != null && !outlets.containsKey(id)) {
            if (!outlets.isEmpty()) { // with no outlets read, that one error says it all
                problems.error(node, where, "unknown outlet " + id);
            }
            return null;
        }
        return id;
    }

    /**
     * An outlet, then the others of its group in group order, wrapping round: outlet 3 of
     * [1, 2, 3, 4] tries 3, 4, 1, 2.
     */
    int[] targets(int outlet) {
        final String group = groupOfOutlet.get(outlet);
        final int[] members = group == null ? null : groups.get(group);
        if (members == null) {
            return new int[] {outlet};
        }
        final int[] result = new int[members.length];
        int start = 0;
        while (members[start] != outlet) {
            start++;
        }
        for (int k = 0; k < members.length; k++) {
            result[k] = members[(start + k) % members.length];
        }
        return result;
    }
}
