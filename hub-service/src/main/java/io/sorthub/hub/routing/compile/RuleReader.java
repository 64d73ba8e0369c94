package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.BarcodePattern;
import io.sorthub.hub.routing.CodeList;
import io.sorthub.hub.routing.DestinationCondition;
import io.sorthub.hub.routing.MeasureCondition;
import io.sorthub.hub.routing.Rule;
import io.sorthub.hub.routing.RuleConditions;
import io.sorthub.hub.routing.Target;
import io.sorthub.hub.routing.TimeWindow;
import io.sorthub.hub.routing.compile.YamlNode.Mapping;
import io.sorthub.hub.routing.compile.YamlNode.Scalar;
import io.sorthub.protocol.ScanFlyweight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code rules} of a plan, one rule mapping at a time, into {@link Rule}s in plan
 * order. Every problem of every rule is reported; a rule with a problem is left out, so
 * positions stay dense, but the plan is refused anyway.
 */
final class RuleReader {
    static final Set<String> RULE_FIELDS = Set.of("id", "name", "destinationPrefix", "destinationRange",
        "serviceClass", "barcodePrefix", "barcodePattern", "customer", "weightGrams", "maxDimensionMm", "time",
        "outlet", "group");
    static final Map<String, Integer> SERVICE_CLASSES = Map.of("unknown", 0, "standard", 1, "express", 2,
        "economy", 3, "freight", 4);
    private static final Set<String> WEIGHT_FIELDS = Set.of("min", "max", "unweighed");
    private static final Set<String> DIMENSION_FIELDS = Set.of("min", "max", "unmeasured");
    private static final Set<String> TIME_FIELDS = Set.of("from", "to");
    private static final int MAX_DIMENSION_MM = 0xFFFF;

    private final FieldReader fields;
    private final Problems problems;
    private final OutletsReader outlets;
    private final List<Rule> rules = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final Map<Integer, YamlNode> ruleIds = new HashMap<>();

    RuleReader(FieldReader fields, OutletsReader outlets) {
        this.fields = fields;
        this.problems = fields.problems();
        this.outlets = outlets;
    }

    List<Rule> rules() {
        return rules;
    }

    /** Every rule's barcode pattern, by {@link BarcodePattern#index()}. */
    Pattern[] patterns() {
        return patterns.toArray(new Pattern[0]);
    }

    void read(Mapping root) {
        if (!root.has("rules")) {
            return;
        }
        final List<YamlNode> nodes = fields.list(root.get("rules"), "rules", "a list of rules");
        long prefixes = 0;
        for (int i = 0; nodes != null && i < nodes.size(); i++) {
            final Rule rule = rule(nodes.get(i), i);
            if (rule == null) {
                continue;
            }
            rules.add(rule);
            prefixes += rule.conditions().destination().prefixes().size() + rule.conditions().barcodePrefixes().size();
            if (prefixes > PlanLimits.MAX_INDEX_PREFIXES) {
                problems.error(rule.line(), "rules[" + i + "] (rule " + rule.id() + ")", String.format(
                    "the rules so far have more than %,d destination and barcode prefixes (a range counts the prefixes "
                        + "that cover it); a plan may have at most %,d", PlanLimits.MAX_INDEX_PREFIXES,
                    PlanLimits.MAX_INDEX_PREFIXES));
                return;
            }
        }
    }

    private Rule rule(YamlNode node, int element) {
        final String at = "rules[" + element + "]";
        final Mapping rule = fields.mapping(node, at, RULE_FIELDS, "a rule: {id: N, conditions..., outlet: N or group: G}");
        if (rule == null) {
            return null;
        }
        if (!rule.has("id")) {
            problems.error(rule, at, "id is missing");
            return null;
        }
        final Integer id = fields.wholeInt(rule.get("id"), at + ": id", 1, Integer.MAX_VALUE);
        if (id == null) {
            return null;
        }
        final String where = at + " (rule " + id + ")";
        final YamlNode earlier = ruleIds.putIfAbsent(id, rule);
        if (earlier != null) {
            problems.error(rule.get("id"), where, "rule id " + id + " is also used on line " + earlier.line());
        }
        final int before = problems.count();
        if (rule.has("name")) {
            fields.text(rule.get("name"), where + ": name");
        }
        final RuleConditions conditions = new RuleConditions(destination(rule, where), serviceClasses(rule, where),
            codes(rule, "barcodePrefix", where, ScanFlyweight.MAX_BARCODE_LENGTH), pattern(rule, where),
            codes(rule, "customer", where, ScanFlyweight.MAX_CUSTOMER_LENGTH),
            measure(rule, "weightGrams", "unweighed", WEIGHT_FIELDS, Integer.MAX_VALUE, where),
            measure(rule, "maxDimensionMm", "unmeasured", DIMENSION_FIELDS, MAX_DIMENSION_MM, where),
            window(rule, where));
        final Target target = target(rule, where);
        if (problems.count() > before || earlier != null || target == null) {
            return null;
        }
        return new Rule(id, rules.size(), rule.line(), conditions, target);
    }

    private DestinationCondition destination(Mapping rule, String where) {
        final boolean prefixes = rule.has("destinationPrefix");
        final boolean range = rule.has("destinationRange");
        if (prefixes && range) {
            problems.error(rule.entries().get("destinationRange").keyLine(), where,
                "give destinationPrefix or destinationRange, not both");
            return DestinationCondition.ANY;
        }
        if (prefixes) {
            final List<String> values = fields.codes(rule.get("destinationPrefix"), where + ": destinationPrefix",
                ScanFlyweight.MAX_DESTINATION_LENGTH);
            return values == null ? DestinationCondition.ANY : new DestinationCondition(List.copyOf(new LinkedHashSet<>(values)), 0);
        }
        if (range) {
            final YamlNode node = rule.get("destinationRange");
            final List<String> bounds = fields.texts(node, where + ": destinationRange");
            if (bounds == null) {
                return DestinationCondition.ANY;
            }
            if (bounds.size() != 2 || !(node instanceof YamlNode.Sequence)) {
                problems.error(node, where + ": destinationRange", "expected [from, to], e.g. [\"100000\", \"102999\"]");
                return DestinationCondition.ANY;
            }
            final List<String> covering = DestinationRanges.prefixes(bounds.get(0), bounds.get(1), node,
                where + ": destinationRange", problems);
            return covering == null ? DestinationCondition.ANY : new DestinationCondition(covering, bounds.get(0).length());
        }
        return DestinationCondition.ANY;
    }

    private long serviceClasses(Mapping rule, String where) {
        if (!rule.has("serviceClass")) {
            return RuleConditions.ANY_SERVICE;
        }
        final List<String> classes = fields.texts(rule.get("serviceClass"), where + ": serviceClass");
        long mask = 0;
        for (String c : classes == null ? List.<String>of() : classes) {
            final Integer code = SERVICE_CLASSES.get(c.toLowerCase(Locale.ROOT));
            if (code == null) {
                problems.error(rule.get("serviceClass"), where, "serviceClass '" + c + "' is not one of "
                    + new TreeSet<>(SERVICE_CLASSES.keySet()));
            } else {
                mask |= 1L << code;
            }
        }
        return mask == 0 ? RuleConditions.ANY_SERVICE : mask;
    }

    private CodeList codes(Mapping rule, String field, String where, int maxLength) {
        if (!rule.has(field)) {
            return CodeList.ANY;
        }
        final List<String> values = fields.codes(rule.get(field), where + ": " + field, maxLength);
        return values == null ? CodeList.ANY : new CodeList(values);
    }

    private BarcodePattern pattern(Mapping rule, String where) {
        if (!rule.has("barcodePattern")) {
            return BarcodePattern.ANY;
        }
        final String regex = fields.text(rule.get("barcodePattern"), where + ": barcodePattern");
        if (regex == null) {
            return BarcodePattern.ANY;
        }
        try {
            final Pattern pattern = Pattern.compile(regex);
            patterns.add(pattern);
            return new BarcodePattern(pattern, patterns.size() - 1);
        } catch (PatternSyntaxException e) {
            problems.error(rule.get("barcodePattern"), where, "barcodePattern '" + regex
                + "' is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
            return BarcodePattern.ANY;
        }
    }

    /**
     * {@code {min: N, max: N}} over measured values, with {@code unweighed: true} (or
     * {@code unmeasured: true}) to match parcels without a measurement too; or the word
     * {@code unweighed} ({@code unmeasured}) alone for "only parcels without one".
     */
    private MeasureCondition measure(Mapping rule, String field, String none, Set<String> allowed, int max, String where) {
        if (!rule.has(field)) {
            return MeasureCondition.ANY;
        }
        final String at = where + ": " + field;
        final YamlNode node = rule.get(field);
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            if (scalar.text().equals(none)) {
                return MeasureCondition.UNMEASURED_ONLY;
            }
            problems.error(node, at, "expected {min: N, max: N} (either may be left out; add " + none
                + ": true to match parcels without a measurement too) or '" + none + "' alone");
            return MeasureCondition.ANY;
        }
        final Mapping range = fields.mapping(node, at, allowed, "{min: N, max: N}");
        if (range == null) {
            return MeasureCondition.ANY;
        }
        if (!range.has("min") && !range.has("max")) {
            problems.error(node, at, "give min, max or both (write " + field + ": " + none
                + " for parcels without a measurement)");
            return MeasureCondition.ANY;
        }
        final Integer min = range.has("min") ? fields.wholeInt(range.get("min"), at + ".min", 0, max) : Integer.valueOf(0);
        final Integer upper = range.has("max") ? fields.wholeInt(range.get("max"), at + ".max", 0, max) : Integer.valueOf(max);
        final Boolean unmeasured = range.has(none) ? fields.bool(range.get(none), at + "." + none) : Boolean.FALSE;
        if (min == null || upper == null || unmeasured == null) {
            return MeasureCondition.ANY;
        }
        if (min > upper) {
            problems.error(node, at, "min " + min + " is above max " + upper);
            return MeasureCondition.ANY;
        }
        return new MeasureCondition(min, upper, unmeasured);
    }

    /** {@code {from: "HH:MM", to: "HH:MM"}}: from inclusive, to exclusive; may cross midnight. */
    private TimeWindow window(Mapping rule, String where) {
        if (!rule.has("time")) {
            return TimeWindow.ANY;
        }
        final String at = where + ": time";
        final int before = problems.count();
        final Mapping time = fields.mapping(rule.get("time"), at, TIME_FIELDS, "{from: \"HH:MM\", to: \"HH:MM\"}");
        if (time == null || problems.count() > before) {
            return TimeWindow.ANY;
        }
        if (!time.has("from") || !time.has("to")) {
            problems.error(time, at, "expected {from: \"HH:MM\", to: \"HH:MM\"}: both are needed");
            return TimeWindow.ANY;
        }
        final Integer from = fields.timeOfDay(time.get("from"), at + ".from");
        final Integer to = fields.timeOfDay(time.get("to"), at + ".to");
        if (from == null || to == null) {
            return TimeWindow.ANY;
        }
        if (from.equals(to)) {
            problems.error(time, at, "from and to are the same time of day; leave time out for a rule that applies all day");
            return TimeWindow.ANY;
        }
        return new TimeWindow(from, to);
    }

    private Target target(Mapping rule, String where) {
        final boolean hasOutlet = rule.has("outlet");
        final boolean hasGroup = rule.has("group");
        if (hasOutlet == hasGroup) {
            problems.error(rule, where, "give exactly one of outlet or group");
            return null;
        }
        if (hasOutlet) {
            final Integer outlet = outlets.known(rule.get("outlet"), where + ": outlet");
            return outlet == null ? null : new Target(outlets.targets(outlet), "outlet " + outlet);
        }
        final String group = fields.text(rule.get("group"), where + ": group");
        if (group == null) {
            return null;
        }
        final int[] members = outlets.groups().get(group);
        if (members == null) {
            problems.error(rule.get("group"), where, "unknown group '" + group + "'");
            return null;
        }
        return new Target(members, "group " + group);
    }
}
