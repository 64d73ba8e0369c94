package io.sorthub.hub.routing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.protocol.ScanFlyweight;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses, validates and compiles a YAML sort plan (docs/SORT-PLAN.md) into a
 * {@link SortPlan}. Runs off the event loops. Every rejection names the field, the rule or
 * outlet and its line in the file; plans that are legal but suspicious (a rule no parcel
 * can reach) compile with warnings.
 */
public final class SortPlanCompiler {
    static final int MAX_OUTLET_ID = 0xFFFF;
    /** SnakeYAML refuses documents over 3 M code points by default; a 100,000-rule plan is ~6 MB. */
    static final int MAX_PLAN_CODE_POINTS = 64 * 1024 * 1024;
    /** Candidate covering rules checked per rule when looking for unreachable ones. */
    private static final int REACHABILITY_CHECKS = 256;

    private static final Set<String> TOP_LEVEL = Set.of("name", "timeZone", "rejectOutlet", "defaultOutlet",
        "overflowOutlet", "maxRecirculations", "validateCheckDigits", "noReadWords", "outlets", "groups", "rules");
    private static final Set<String> OUTLET_FIELDS = Set.of("id", "name", "type");
    private static final Set<String> GROUP_FIELDS = Set.of("id", "name", "outlets");
    private static final Set<String> RULE_FIELDS = Set.of("id", "name", "destinationPrefix", "destinationRange",
        "serviceClass", "barcodePrefix", "barcodePattern", "customer", "weightGrams", "maxDimensionMm", "time",
        "outlet", "group");
    static final Map<String, Integer> SERVICE_CLASSES = Map.of("unknown", 0, "standard", 1, "express", 2,
        "economy", 3, "freight", 4);

    private final YAMLMapper mapper = new YAMLMapper(YAMLFactory.builder().loaderOptions(loaderOptions()).build());

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
        return new Compilation(text, version).run();
    }

    /** One compilation: the parsed document, its line index, and what has been built so far. */
    private final class Compilation {
        private final String text;
        private final long version;
        private final Map<String, List<Integer>> lines = new HashMap<>();
        private final Map<Integer, Outlet> outlets = new LinkedHashMap<>();
        private final Map<String, int[]> groups = new LinkedHashMap<>();
        private final Map<Integer, String> groupOfOutlet = new HashMap<>();
        private final List<Pattern> patterns = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Compilation(String text, long version) {
            this.text = text;
            this.version = version;
        }

        SortPlan run() throws SortPlanException {
            final JsonNode root = parse();
            checkFields(root, TOP_LEVEL, "sort plan");
            final String name = root.path("name").asText("unnamed");
            final ZoneId zone = zone(root.get("timeZone"));
            readOutlets(root.get("outlets"));
            readGroups(root.get("groups"));
            final int reject = outletRef(root, "rejectOutlet", true);
            final int fallback = outletRef(root, "defaultOutlet", true);
            final int overflow = root.has("overflowOutlet") ? outletRef(root, "overflowOutlet", true) : fallback;
            final int maxRecirculations = root.has("maxRecirculations")
                ? intInRange(root.get("maxRecirculations"), "maxRecirculations", 0, 254) : 3;
            final boolean checkDigits = !root.has("validateCheckDigits") || bool(root.get("validateCheckDigits"),
                "validateCheckDigits");
            final JsonNode noRead = root.get("noReadWords");
            final NoReadWords noReadWords = noRead == null ? NoReadWords.DEFAULT
                : noRead.isArray() && noRead.isEmpty() ? NoReadWords.NONE : noReadWords(noRead);

            final List<Rule> rules = new ArrayList<>();
            final PrefixIndex.Builder index = new PrefixIndex.Builder();
            final PrefixIndex.Builder barcodeIndex = new PrefixIndex.Builder();
            final List<Integer> unindexed = new ArrayList<>();
            final JsonNode ruleNodes = root.get("rules");
            if (ruleNodes != null && !ruleNodes.isNull() && !ruleNodes.isArray()) {
                throw new SortPlanException("'rules' must be a list" + at("rules", -1));
            }
            final Map<Integer, Integer> ruleIds = new HashMap<>();
            for (int i = 0; ruleNodes != null && i < ruleNodes.size(); i++) {
                final Rule rule = readRule(ruleNodes.get(i), i, rules.size(), ruleIds);
                rules.add(rule);
                if (!rule.destinationPrefixes.isEmpty()) {
                    for (String prefix : rule.destinationPrefixes) {
                        index.add(prefix, rule.position);
                    }
                } else if (rule.barcodePrefixes != null) {
                    for (byte[] prefix : rule.barcodePrefixes) {
                        barcodeIndex.add(new String(prefix, StandardCharsets.US_ASCII), rule.position);
                    }
                } else {
                    unindexed.add(rule.position);
                }
            }
            final PrefixIndex destinations = index.build();
            final PrefixIndex barcodes = barcodeIndex.build();
            final int[] unindexedPositions = unindexed.stream().mapToInt(Integer::intValue).toArray();
            findUnreachable(rules, destinations, barcodes, unindexedPositions);
            return new SortPlan(name, version, outlets, groups, rules, destinations, barcodes,
                unindexedPositions, targets(fallback), reject, overflow,
                maxRecirculations, checkDigits, noReadWords, zone, patterns.toArray(new Pattern[0]), warnings, text);
        }

        private JsonNode parse() throws SortPlanException {
            final JsonNode root;
            try (JsonParser parser = new LineTracker(mapper.getFactory().createParser(text))) {
                root = mapper.readTree(parser);
            } catch (JsonProcessingException e) {
                final JsonLocation at = e.getLocation();
                final String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
                throw new SortPlanException("sort plan is not valid YAML" + where + ": " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new SortPlanException("sort plan cannot be read: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new SortPlanException("sort plan must be a YAML mapping with outlets and rules");
            }
            return root;
        }

        /**
         * Sees every token as the mapper builds the tree (one parse, not two) and records the
         * line where each element of each top-level list starts, for error messages.
         */
        private final class LineTracker extends JsonParserDelegate {
            LineTracker(JsonParser parser) {
                super(parser);
            }

            @Override
            public JsonToken nextToken() throws IOException {
                final JsonToken token = super.nextToken();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY
                    || (token != null && token.isScalarValue())) {
                    final JsonStreamContext context = getParsingContext();
                    final JsonStreamContext list = token.isScalarValue() ? context : context.getParent();
                    if (list != null && list.inArray() && list.getParent() != null && list.getParent().inObject()
                        && list.getParent().getParent() != null && list.getParent().getParent().inRoot()) {
                        final List<Integer> section = lines.computeIfAbsent(list.getParent().getCurrentName(),
                            k -> new ArrayList<>());
                        if (section.size() == list.getCurrentIndex()) {
                            section.add(currentTokenLocation().getLineNr());
                        }
                    }
                }
                return token;
            }
        }

        private String at(String section, int element) {
            final List<Integer> section0 = lines.get(section);
            return section0 == null || element < 0 || element >= section0.size() ? "" : ", line " + section0.get(element);
        }

        private void readOutlets(JsonNode nodes) throws SortPlanException {
            if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
                throw new SortPlanException("sort plan has no outlets: 'outlets' must be a non-empty list");
            }
            for (int i = 0; i < nodes.size(); i++) {
                final JsonNode node = nodes.get(i);
                String where = "outlets[" + i + "]" + at("outlets", i);
                if (!node.isObject()) {
                    throw new SortPlanException(where + ": an outlet must be a mapping with id, name and type");
                }
                checkFields(node, OUTLET_FIELDS, where);
                final int id = intInRange(node.get("id"), where + ": id", 1, MAX_OUTLET_ID);
                where = "outlets[" + i + "] (outlet " + id + at("outlets", i) + ")";
                final String typeText = node.path("type").asText("regular");
                final OutletType type = OutletType.parse(typeText);
                if (type == null) {
                    throw new SortPlanException(where + ": unknown type '" + typeText
                        + "'; expected regular, reject, overflow or manual-handling");
                }
                if (outlets.put(id, new Outlet(id, node.path("name").asText("outlet " + id), type)) != null) {
                    throw new SortPlanException(where + ": outlet id " + id + " is defined twice");
                }
            }
        }

        private void readGroups(JsonNode nodes) throws SortPlanException {
            if (nodes == null || nodes.isNull()) {
                return;
            }
            if (!nodes.isArray()) {
                throw new SortPlanException("'groups' must be a list");
            }
            for (int i = 0; i < nodes.size(); i++) {
                final JsonNode node = nodes.get(i);
                String where = "groups[" + i + "]" + at("groups", i);
                if (!node.isObject()) {
                    throw new SortPlanException(where + ": a group must be a mapping with id and outlets");
                }
                checkFields(node, GROUP_FIELDS, where);
                final String id = node.path("id").asText("");
                if (id.isEmpty()) {
                    throw new SortPlanException(where + ": id is missing");
                }
                where = "groups[" + i + "] (group " + id + at("groups", i) + ")";
                final JsonNode members = node.get("outlets");
                if (members == null || !members.isArray() || members.isEmpty()) {
                    throw new SortPlanException(where + ": outlets must be a non-empty list of outlet ids");
                }
                final int[] list = new int[members.size()];
                for (int m = 0; m < list.length; m++) {
                    list[m] = knownOutlet(members.get(m), where + ": outlets[" + m + "]");
                    final String other = groupOfOutlet.putIfAbsent(list[m], id);
                    if (other != null) {
                        throw new SortPlanException(where + ": outlet " + list[m] + " is already in group " + other
                            + "; an outlet belongs to one group at most");
                    }
                }
                if (groups.put(id, list) != null) {
                    throw new SortPlanException(where + ": group id " + id + " is defined twice");
                }
            }
        }

        /** An outlet, then the outlets after it in its group: the alternates tried in order. */
        private int[] targets(int outlet) {
            final String group = groupOfOutlet.get(outlet);
            if (group == null) {
                return new int[] {outlet};
            }
            final int[] members = groups.get(group);
            final int[] result = new int[members.length];
            int n = 0;
            int start = 0;
            while (members[start] != outlet) {
                start++;
            }
            for (int k = 0; k < members.length; k++) {
                result[n++] = members[(start + k) % members.length];
            }
            return result;
        }

        private Rule readRule(JsonNode node, int element, int position, Map<Integer, Integer> ruleIds)
            throws SortPlanException {
            String where = "rules[" + element + "]" + at("rules", element);
            if (!node.isObject()) {
                throw new SortPlanException(where + ": a rule must be a mapping with id, conditions and outlet or group");
            }
            final int id = intInRange(node.get("id"), where + ": id", 1, Integer.MAX_VALUE);
            where = "rules[" + element + "] (rule " + id + at("rules", element) + ")";
            checkFields(node, RULE_FIELDS, where);
            final Integer earlier = ruleIds.put(id, element);
            if (earlier != null) {
                throw new SortPlanException(where + ": rule id " + id + " is also used by rules[" + earlier + "]");
            }

            final List<String> destinations = new ArrayList<>();
            for (String prefix : strings(node.get("destinationPrefix"), where + ": destinationPrefix")) {
                destinations.add(ascii(prefix, ScanFlyweight.MAX_DESTINATION_LENGTH, where + ": destinationPrefix"));
            }
            int rangeDigits = 0;
            if (node.has("destinationRange")) {
                if (!destinations.isEmpty()) {
                    throw new SortPlanException(where + ": give destinationPrefix or destinationRange, not both");
                }
                destinations.addAll(rangePrefixes(node.get("destinationRange"), where + ": destinationRange"));
                rangeDigits = node.get("destinationRange").get(0).asText().length();
            }

            long serviceMask = Rule.ANY_SERVICE;
            final List<String> classes = strings(node.get("serviceClass"), where + ": serviceClass");
            if (!classes.isEmpty()) {
                serviceMask = 0;
                for (String c : classes) {
                    final Integer code = SERVICE_CLASSES.get(c.toLowerCase(Locale.ROOT));
                    if (code == null) {
                        throw new SortPlanException(where + ": serviceClass '" + c + "' is not one of "
                            + new TreeSet<>(SERVICE_CLASSES.keySet()));
                    }
                    serviceMask |= 1L << code;
                }
            }

            final byte[][] barcodePrefixes = bytes(strings(node.get("barcodePrefix"), where + ": barcodePrefix"),
                ScanFlyweight.MAX_BARCODE_LENGTH, where + ": barcodePrefix");
            final byte[][] customers = bytes(strings(node.get("customer"), where + ": customer"),
                ScanFlyweight.MAX_CUSTOMER_LENGTH, where + ": customer");
            Pattern pattern = null;
            int patternIndex = -1;
            if (node.has("barcodePattern")) {
                final String regex = node.get("barcodePattern").asText();
                try {
                    pattern = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw new SortPlanException(where + ": barcodePattern '" + regex + "' is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
                }
                patternIndex = patterns.size();
                patterns.add(pattern);
            }
            final int[] weight = range(node.get("weightGrams"), where + ": weightGrams");
            final int[] dimension = range(node.get("maxDimensionMm"), where + ": maxDimensionMm");
            final int[] window = window(node.get("time"), where + ": time");

            final boolean hasOutlet = node.has("outlet");
            final boolean hasGroup = node.has("group");
            if (hasOutlet == hasGroup) {
                throw new SortPlanException(where + ": give exactly one of outlet or group");
            }
            final int[] targets;
            final String targetName;
            if (hasOutlet) {
                final int outlet = knownOutlet(node.get("outlet"), where + ": outlet");
                targets = targets(outlet);
                targetName = "outlet " + outlet;
            } else {
                final String group = node.get("group").asText();
                targets = groups.get(group);
                if (targets == null) {
                    throw new SortPlanException(where + ": unknown group '" + group + "'");
                }
                targetName = "group " + group;
            }
            final List<Integer> lineList = lines.get("rules");
            final int line = lineList != null && element < lineList.size() ? lineList.get(element) : 0;
            return new Rule(id, position, line, List.copyOf(new LinkedHashSet<>(destinations)), rangeDigits, serviceMask,
                barcodePrefixes, pattern, patternIndex, customers, weight[0], weight[1], dimension[0], dimension[1],
                window[0], window[1], targets, targetName);
        }

        /**
         * A rule is unreachable when an earlier rule matches every parcel it matches. Only
         * rules that share a destination prefix path (or match any destination) can cover
         * each other, so the trie bounds the search; at most a few hundred checks per rule.
         */
        private void findUnreachable(List<Rule> rules, PrefixIndex destinations, PrefixIndex barcodes, int[] unindexed) {
            final List<int[]> candidates = new ArrayList<>();
            for (Rule rule : rules) {
                int checks = 0;
                Rule cover = null;
                candidates.clear();
                candidates.add(unindexed);
                if (!rule.destinationPrefixes.isEmpty()) {
                    // A covering rule must cover the rule's first prefix: rules on its ancestors' nodes.
                    addPath(destinations, rule.destinationPrefixes.get(0), candidates);
                }
                if (rule.barcodePrefixes != null) {
                    addPath(barcodes, new String(rule.barcodePrefixes[0], StandardCharsets.US_ASCII), candidates);
                }
                search:
                for (int[] list : candidates) {
                    for (int position : list) {
                        if (position >= rule.position || checks++ > REACHABILITY_CHECKS) {
                            break;
                        }
                        if (covers(rules.get(position), rule)) {
                            cover = rules.get(position);
                            break search;
                        }
                    }
                }
                if (cover != null) {
                    warnings.add("rule " + rule.id + (rule.line > 0 ? " (line " + rule.line + ")" : "")
                        + " is unreachable: rule " + cover.id + (cover.line > 0 ? " (line " + cover.line + ")" : "")
                        + " comes first and matches every parcel it would");
                }
            }
        }

        private void addPath(PrefixIndex index, String prefix, List<int[]> out) {
            int node = PrefixIndex.root();
            for (int i = 0; i < prefix.length() && node >= 0; i++) {
                node = index.child(node, (byte) prefix.charAt(i));
                if (node >= 0 && index.rulesAt(node) != null) {
                    out.add(index.rulesAt(node));
                }
            }
        }

        private boolean covers(Rule first, Rule later) {
            if (!first.destinationPrefixes.isEmpty()) {
                if (later.destinationPrefixes.isEmpty()) {
                    return false;
                }
                for (String p : later.destinationPrefixes) {
                    if (first.destinationPrefixes.stream().noneMatch(p::startsWith)) {
                        return false;
                    }
                }
            }
            if (first.rangeDigits > later.rangeDigits) {
                return false;
            }
            if ((first.serviceMask & later.serviceMask) != later.serviceMask) {
                return false;
            }
            if (first.barcodePrefixes != null && (later.barcodePrefixes == null
                || !prefixesCovered(first.barcodePrefixes, later.barcodePrefixes))) {
                return false;
            }
            if (first.barcodePattern != null && (later.barcodePattern == null
                || !first.barcodePattern.pattern().equals(later.barcodePattern.pattern()))) {
                return false;
            }
            if (first.customers != null && (later.customers == null || !subset(later.customers, first.customers))) {
                return false;
            }
            if (first.minWeight > later.minWeight || first.maxWeight < later.maxWeight
                || first.minDimension > later.minDimension || first.maxDimension < later.maxDimension) {
                return false;
            }
            if (first.fromMinute >= 0) {
                if (later.fromMinute < 0) {
                    return false;
                }
                for (int m = 0; m < 1440; m++) {
                    if (later.inWindow(m) && !first.inWindow(m)) {
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean prefixesCovered(byte[][] outer, byte[][] inner) {
            for (byte[] p : inner) {
                boolean found = false;
                for (byte[] q : outer) {
                    if (q.length <= p.length && java.util.Arrays.equals(q, 0, q.length, p, 0, q.length)) {
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

        private boolean subset(byte[][] inner, byte[][] outer) {
            for (byte[] p : inner) {
                boolean found = false;
                for (byte[] q : outer) {
                    if (java.util.Arrays.equals(p, q)) {
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

        private int outletRef(JsonNode root, String field, boolean required) throws SortPlanException {
            if (!root.has(field)) {
                if (required) {
                    throw new SortPlanException("sort plan has no " + field + ": every plan needs one");
                }
                return 0;
            }
            return knownOutlet(root.get(field), field);
        }

        private int knownOutlet(JsonNode node, String where) throws SortPlanException {
            final int id = intInRange(node, where, 1, MAX_OUTLET_ID);
            if (!outlets.containsKey(id)) {
                throw new SortPlanException(where + ": unknown outlet " + id);
            }
            return id;
        }
    }

    // --- field readers ---------------------------------------------------------------------

    private static void checkFields(JsonNode node, Set<String> allowed, String where) throws SortPlanException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            final String field = it.next();
            if (!allowed.contains(field)) {
                throw new SortPlanException(where + ": unknown field '" + field + "'; expected one of "
                    + new TreeSet<>(allowed));
            }
        }
    }

    /** A string or a list of strings; empty when absent. */
    private static List<String> strings(JsonNode node, String where) throws SortPlanException {
        final List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isValueNode()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new SortPlanException(where + ": list items must be plain values");
                }
                out.add(item.asText());
            }
        } else {
            throw new SortPlanException(where + ": expected a value or a list of values");
        }
        if (out.isEmpty() || out.stream().anyMatch(String::isEmpty)) {
            throw new SortPlanException(where + ": must not be empty");
        }
        return out;
    }

    private static String ascii(String value, int maxLength, String where) throws SortPlanException {
        if (value.length() > maxLength || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new SortPlanException(where + ": '" + value + "' must be 1 to " + maxLength
                + " printable ASCII characters");
        }
        return value;
    }

    /** Printable words no longer than a barcode; an empty list turns the check off. */
    private static NoReadWords noReadWords(JsonNode node) throws SortPlanException {
        final List<String> words = strings(node, "noReadWords");
        for (String word : words) {
            ascii(word, ScanFlyweight.MAX_BARCODE_LENGTH, "noReadWords");
        }
        return NoReadWords.of(words);
    }

    private static byte[][] bytes(List<String> values, int maxLength, String where) throws SortPlanException {
        if (values.isEmpty()) {
            return null;
        }
        final byte[][] out = new byte[values.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ascii(values.get(i), maxLength, where).getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    /**
     * {@code [from, to]}: digit strings of one length L; a destination matches when its first
     * L characters are digits within the range. The range becomes the few prefixes that
     * cover it (100000..102999 is "100", "101", "102"), so ranges share the prefix index, and
     * the rule checks that the next characters up to L are digits.
     */
    static List<String> rangePrefixes(JsonNode node, String where) throws SortPlanException {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new SortPlanException(where + ": expected [from, to], e.g. [\"100000\", \"102999\"]");
        }
        final String from = node.get(0).asText();
        final String to = node.get(1).asText();
        if (from.isEmpty() || from.length() != to.length() || !from.chars().allMatch(Character::isDigit)
            || !to.chars().allMatch(Character::isDigit) || from.length() > 18) {
            throw new SortPlanException(where + ": from '" + from + "' and to '" + to
                + "' must be digit strings of the same length (up to 18)");
        }
        if (from.compareTo(to) > 0) {
            throw new SortPlanException(where + ": from '" + from + "' is after to '" + to + "'");
        }
        final List<String> out = new ArrayList<>();
        cover(from, to, "", out);
        return out;
    }

    /** Emit the minimal prefixes under {@code prefix} covering digit strings in [from, to]. */
    private static void cover(String from, String to, String prefix, List<String> out) {
        final int depth = prefix.length();
        final int remaining = from.length() - depth;
        if (from.substring(depth).chars().allMatch(c -> c == '0') && to.substring(depth).chars().allMatch(c -> c == '9')) {
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

    private static int[] range(JsonNode node, String where) throws SortPlanException {
        if (node == null || node.isNull()) {
            return new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
        }
        if (!node.isObject()) {
            throw new SortPlanException(where + ": expected {min: N, max: N} (either may be left out)");
        }
        checkFields(node, Set.of("min", "max"), where);
        final int min = node.has("min") ? intInRange(node.get("min"), where + ".min", 0, Integer.MAX_VALUE) : Integer.MIN_VALUE;
        final int max = node.has("max") ? intInRange(node.get("max"), where + ".max", 0, Integer.MAX_VALUE) : Integer.MAX_VALUE;
        if (min > max) {
            throw new SortPlanException(where + ": min " + min + " is above max " + max);
        }
        return new int[] {min, max};
    }

    /** {@code {from: "HH:MM", to: "HH:MM"}}: from inclusive, to exclusive; may cross midnight. */
    private static int[] window(JsonNode node, String where) throws SortPlanException {
        if (node == null || node.isNull()) {
            return new int[] {-1, -1};
        }
        if (!node.isObject() || !node.has("from") || !node.has("to")) {
            throw new SortPlanException(where + ": expected {from: \"HH:MM\", to: \"HH:MM\"}");
        }
        checkFields(node, Set.of("from", "to"), where);
        final int from = minutes(node.get("from").asText(), where + ".from");
        final int to = minutes(node.get("to").asText(), where + ".to");
        if (from == to) {
            throw new SortPlanException(where + ": from and to are both " + node.get("from").asText()
                + "; leave time out for a rule that applies all day");
        }
        return new int[] {from, to};
    }

    private static int minutes(String text, String where) throws SortPlanException {
        final String[] parts = text.split(":");
        try {
            if (parts.length == 2) {
                final int h = Integer.parseInt(parts[0]);
                final int m = Integer.parseInt(parts[1]);
                if (h >= 0 && h <= 24 && m >= 0 && m < 60 && h * 60 + m <= 1440) {
                    return (h * 60 + m) % 1440;
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new SortPlanException(where + ": '" + text + "' is not a time of day HH:MM");
    }

    private static ZoneId zone(JsonNode node) throws SortPlanException {
        if (node == null || node.isNull()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(node.asText());
        } catch (DateTimeException e) {
            throw new SortPlanException("timeZone: '" + node.asText() + "' is not a time zone (e.g. Asia/Shanghai)");
        }
    }

    private static boolean bool(JsonNode node, String where) throws SortPlanException {
        if (!node.isBoolean()) {
            throw new SortPlanException(where + ": expected true or false");
        }
        return node.asBoolean();
    }

    private static int intInRange(JsonNode node, String where, int min, int max) throws SortPlanException {
        if (node == null || node.isNull()) {
            throw new SortPlanException(where + " is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new SortPlanException(where + ": '" + node.asText() + "' is not a whole number");
        }
        final int value = node.asInt();
        if (value < min || value > max) {
            throw new SortPlanException(where + ": " + value + " is out of range " + min + ".." + max);
        }
        return value;
    }
}
