package io.sorthub.hub.routing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses, validates and compiles a YAML sort plan into a {@link SortPlan}. Runs off the
 * event loops. Every rejection names the field and the rule or outlet concerned.
 *
 * <pre>
 * name: demo
 * rejectOutlet: 99
 * defaultOutlet: 98
 * maxRecirculations: 3
 * outlets:
 *   - {id: 1, name: "Beijing", type: regular}
 * rules:
 *   - {id: 10, destinationPrefix: "100", outlet: 1}
 * </pre>
 */
public final class SortPlanCompiler {
    static final int MAX_OUTLET_ID = 0xFFFF;
    static final int MAX_PREFIX_LENGTH = 32;
    private static final Set<String> TOP_LEVEL = Set.of("name", "rejectOutlet", "defaultOutlet",
        "maxRecirculations", "outlets", "rules");
    private static final Set<String> OUTLET_FIELDS = Set.of("id", "name", "type");
    private static final Set<String> RULE_FIELDS = Set.of("id", "destinationPrefix", "outlet");

    /** SnakeYAML refuses documents over 3 M code points by default; a 100,000-rule plan is ~6 MB. */
    static final int MAX_PLAN_CODE_POINTS = 64 * 1024 * 1024;

    private final YAMLMapper mapper = new YAMLMapper(YAMLFactory.builder()
        .loaderOptions(loaderOptions())
        .build());

    private static LoaderOptions loaderOptions() {
        final LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_PLAN_CODE_POINTS);
        return options;
    }

    /**
     * @param text    the YAML plan
     * @param version the version the compiled plan will carry in every decision it makes
     * @throws SortPlanException naming what is wrong and where
     */
    public SortPlan compile(String text, long version) throws SortPlanException {
        final JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new SortPlanException("sort plan is not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SortPlanException("sort plan must be a YAML mapping with outlets and rules");
        }
        checkFields(root, TOP_LEVEL, "sort plan");
        final String name = root.path("name").asText("unnamed");

        final Map<Integer, Outlet> outlets = new HashMap<>();
        final JsonNode outletNodes = root.get("outlets");
        if (outletNodes == null || !outletNodes.isArray() || outletNodes.isEmpty()) {
            throw new SortPlanException("sort plan has no outlets: 'outlets' must be a non-empty list");
        }
        for (int i = 0; i < outletNodes.size(); i++) {
            final JsonNode node = outletNodes.get(i);
            final String where = "outlets[" + i + "]";
            if (!node.isObject()) {
                throw new SortPlanException(where + " must be a mapping with id, name and type");
            }
            checkFields(node, OUTLET_FIELDS, where);
            final int id = outletId(node.get("id"), where + ".id");
            final String typeText = node.path("type").asText("regular");
            final OutletType type;
            try {
                type = OutletType.valueOf(typeText.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new SortPlanException(where + " (outlet " + id + "): unknown type '" + typeText
                    + "'; expected regular, reject, overflow or manual");
            }
            if (outlets.put(id, new Outlet(id, node.path("name").asText("outlet " + id), type)) != null) {
                throw new SortPlanException(where + ": outlet id " + id + " is defined twice");
            }
        }

        final int rejectOutlet = requiredOutletRef(root, "rejectOutlet", outlets);
        final int defaultOutlet = requiredOutletRef(root, "defaultOutlet", outlets);
        final int maxRecirculations = root.has("maxRecirculations")
            ? intInRange(root.get("maxRecirculations"), "maxRecirculations", 0, 255) : 3;

        final List<Rule> rules = new ArrayList<>();
        final PrefixTrie.Builder trie = new PrefixTrie.Builder();
        final JsonNode ruleNodes = root.get("rules");
        if (ruleNodes != null && !ruleNodes.isArray()) {
            throw new SortPlanException("'rules' must be a list");
        }
        final Map<Integer, Integer> ruleIds = new HashMap<>();
        for (int i = 0; ruleNodes != null && i < ruleNodes.size(); i++) {
            final JsonNode node = ruleNodes.get(i);
            String where = "rules[" + i + "]";
            if (!node.isObject()) {
                throw new SortPlanException(where + " must be a mapping with id, destinationPrefix and outlet");
            }
            final int id = intInRange(node.get("id"), where + ".id", 1, Integer.MAX_VALUE);
            where = where + " (rule " + id + ")";
            checkFields(node, RULE_FIELDS, where);
            final Integer earlier = ruleIds.put(id, i);
            if (earlier != null) {
                throw new SortPlanException(where + ": rule id " + id + " is also used by rules[" + earlier + "]");
            }
            final JsonNode prefixNode = node.get("destinationPrefix");
            if (prefixNode == null || !prefixNode.isValueNode() || prefixNode.asText().isEmpty()) {
                throw new SortPlanException(where + ": destinationPrefix is missing or empty");
            }
            final String prefix = prefixNode.asText();
            if (prefix.length() > MAX_PREFIX_LENGTH || !prefix.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw new SortPlanException(where + ": destinationPrefix '" + prefix
                    + "' must be 1 to " + MAX_PREFIX_LENGTH + " printable ASCII characters");
            }
            final int outlet = outletId(node.get("outlet"), where + ".outlet");
            if (!outlets.containsKey(outlet)) {
                throw new SortPlanException(where + ": unknown outlet " + outlet);
            }
            rules.add(new Rule(id, prefix, outlet));
            trie.add(prefix, rules.size() - 1);
        }
        return new SortPlan(name, version, outlets, rules, trie.build(), defaultOutlet, rejectOutlet,
            maxRecirculations, text);
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String where) throws SortPlanException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            final String field = it.next();
            if (!allowed.contains(field)) {
                throw new SortPlanException(where + ": unknown field '" + field + "'; expected one of "
                    + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static int requiredOutletRef(JsonNode root, String field, Map<Integer, Outlet> outlets)
        throws SortPlanException {
        if (!root.has(field)) {
            throw new SortPlanException("sort plan has no " + field + ": every plan needs one");
        }
        final int id = outletId(root.get(field), field);
        if (!outlets.containsKey(id)) {
            throw new SortPlanException(field + ": unknown outlet " + id);
        }
        return id;
    }

    private static int outletId(JsonNode node, String where) throws SortPlanException {
        return intInRange(node, where, 1, MAX_OUTLET_ID);
    }

    private static int intInRange(JsonNode node, String where, int min, int max) throws SortPlanException {
        if (node == null || node.isNull()) {
            throw new SortPlanException(where + " is missing");
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new SortPlanException(where + ": '" + node.asText() + "' is not a whole number");
        }
        final int value = node.asInt();
        if (value < min || value > max) {
            throw new SortPlanException(where + ": " + value + " is out of range " + min + ".." + max);
        }
        return value;
    }
}
