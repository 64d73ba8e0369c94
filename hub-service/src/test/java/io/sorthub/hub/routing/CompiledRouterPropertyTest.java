package io.sorthub.hub.routing;

import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random plans and random parcels: the compiled router (destination trie, candidate lists,
 * range prefixes) must give exactly what a plain first-match scan over the rules gives:
 * same outlet, same reason, same rule, for every parcel and any outlet states. Parcels
 * include unweighed and unmeasured ones (0), which weight and size conditions match only
 * where the rule says so.
 */
class CompiledRouterPropertyTest {
    private static final String[] BARCODE_PREFIXES = {"JD", "JT", "SF", "YT", "X"};
    private static final String[] CUSTOMERS = {"A", "B", "C"};
    private static final String[] PATTERNS = {"^SF[0-9]+$", "^J.*7$", "^[A-Z]{2}[0-9]{3}$"};
    private static final String[] SERVICES = {"unknown", "standard", "express", "economy", "freight"};
    private static final int OUTLETS = 12;

    /** A rule as the test sees it: plain values, evaluated the slow, obvious way. */
    record PlainRule(int id, List<String> prefixes, String rangeFrom, String rangeTo, List<Integer> services,
                     Integer minWeight, Integer maxWeight, Unmeasured weighing, Integer minDim, Integer maxDim,
                     Unmeasured measuring, Integer from, Integer to, List<String> barcodePrefixes, String pattern,
                     List<String> customers, Integer outlet, String group) {

        boolean matches(Parcel p) {
            if (!prefixes.isEmpty() && prefixes.stream().noneMatch(p.destination::startsWith)) {
                return false;
            }
            if (rangeFrom != null) {
                final int n = rangeFrom.length();
                if (p.destination.length() < n || !p.destination.substring(0, n).chars().allMatch(Character::isDigit)
                    || p.destination.substring(0, n).compareTo(rangeFrom) < 0 || p.destination.substring(0, n).compareTo(rangeTo) > 0) {
                    return false;
                }
            }
            if (!services.isEmpty() && !services.contains(p.service)) {
                return false;
            }
            if (!measure(p.weight, minWeight, maxWeight, weighing)) {
                return false;
            }
            if (!measure(Math.max(p.length, Math.max(p.width, p.height)), minDim, maxDim, measuring)) {
                return false;
            }
            if (from != null) {
                final boolean in = from <= to ? p.minute >= from && p.minute < to : p.minute >= from || p.minute < to;
                if (!in) {
                    return false;
                }
            }
            if (!barcodePrefixes.isEmpty() && barcodePrefixes.stream().noneMatch(p.barcode::startsWith)) {
                return false;
            }
            if (pattern != null && !Pattern.compile(pattern).matcher(p.barcode).matches()) {
                return false;
            }
            return customers.isEmpty() || customers.contains(p.customer);
        }
    }

    /** What a weight or size condition does with a parcel that has no measurement (0). */
    enum Unmeasured { NO_CONDITION, NEVER, ALSO, ONLY }

    /** PROTOCOL.md: 0 is "not weighed" / "not measured"; SORT-PLAN.md says what a condition does with it. */
    static boolean measure(int value, Integer min, Integer max, Unmeasured unmeasured) {
        if (unmeasured == Unmeasured.NO_CONDITION) {
            return true;
        }
        if (value <= 0) {
            return unmeasured != Unmeasured.NEVER;
        }
        return unmeasured != Unmeasured.ONLY && (min == null || value >= min) && (max == null || value <= max);
    }

    record Parcel(String barcode, String destination, String customer, int service, int weight, int length, int width,
                  int height, int minute) {
    }

    @Property(tries = 300)
    void compiledRouterAgreesWithPlainFirstMatch(@ForAll long seed) throws Exception {
        final Random random = new Random(seed);
        final Map<String, List<Integer>> groups = new LinkedHashMap<>();
        groups.put("G1", List.of(1, 2, 3));
        groups.put("G2", List.of(4, 5));
        final List<PlainRule> rules = new ArrayList<>();
        final int ruleCount = 1 + random.nextInt(random.nextBoolean() ? 8 : 120);
        for (int i = 0; i < ruleCount; i++) {
            rules.add(randomRule(random, i + 1));
        }
        final SortPlan plan = new SortPlanCompiler().compile(yaml(rules, groups), 42);
        final OutletStates states = new OutletStates();
        for (int o = 1; o <= OUTLETS; o++) {
            if (random.nextInt(4) == 0) {
                states.set(o, random.nextBoolean() ? OutletStatus.FULL : OutletStatus.DISABLED);
            }
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final Decision decision = new Decision();
        for (int n = 0; n < 300; n++) {
            final Parcel p = randomParcel(random);
            final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST)
                .serviceClass(p.service).weightGrams(p.weight).dimensionsMm(p.length, p.width, p.height)
                .strings("T", p.barcode, p.destination, p.customer);
            assertThat(scan.validate(new FrameError())).isZero();
            plan.decide(scan, p.minute * 60_000L, states, decision);

            int[] expected = null; // outlet, reason code, rule id
            for (PlainRule rule : rules) {
                if (rule.matches(p)) {
                    expected = resolve(targets(rule.outlet, rule.group, groups), DecisionReason.RULE, rule.id, states);
                    break;
                }
            }
            if (expected == null) {
                expected = resolve(targets(12, null, groups), DecisionReason.DEFAULT, 0, states);
            }
            assertThat(new int[] {decision.outlet, decision.reason.code(), decision.ruleId})
                .as("parcel %s with plan rules %s", p, rules).containsExactly(expected);
        }
    }

    private static List<Integer> targets(Integer outlet, String group, Map<String, List<Integer>> groups) {
        if (group != null) {
            return groups.get(group);
        }
        for (List<Integer> members : groups.values()) {
            final int at = members.indexOf(outlet);
            if (at >= 0) {
                final List<Integer> rotated = new ArrayList<>();
                for (int k = 0; k < members.size(); k++) {
                    rotated.add(members.get((at + k) % members.size()));
                }
                return rotated;
            }
        }
        return List.of(outlet);
    }

    private static int[] resolve(List<Integer> targets, DecisionReason reason, int ruleId, OutletStates states) {
        for (int i = 0; i < targets.size(); i++) {
            if (states.available(targets.get(i))) {
                return new int[] {targets.get(i), (i == 0 ? reason : DecisionReason.ALTERNATE).code(), ruleId};
            }
        }
        return new int[] {98, DecisionReason.OVERFLOW.code(), ruleId};
    }

    private static PlainRule randomRule(Random r, int id) {
        List<String> prefixes = List.of();
        String from = null;
        String to = null;
        final int destinationKind = r.nextInt(4);
        if (destinationKind == 1 || destinationKind == 2) {
            final List<String> list = new ArrayList<>();
            for (int k = 0; k <= r.nextInt(2); k++) {
                list.add(digits(r, 1 + r.nextInt(3)));
            }
            prefixes = list;
        } else if (destinationKind == 3) {
            final int length = 2 + r.nextInt(3);
            final String a = digits(r, length);
            final String b = digits(r, length);
            from = a.compareTo(b) <= 0 ? a : b;
            to = a.compareTo(b) <= 0 ? b : a;
        }
        final List<Integer> services = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            for (int s = 0; s < 5; s++) {
                if (r.nextBoolean()) {
                    services.add(s);
                }
            }
            if (services.isEmpty()) {
                services.add(r.nextInt(5));
            }
        }
        Integer minW = r.nextInt(4) == 0 ? r.nextInt(5000) : null;
        Integer maxW = r.nextInt(4) == 0 ? (minW == null ? 0 : minW) + r.nextInt(5000) : null;
        final Unmeasured weighing = unmeasured(r, minW != null || maxW != null);
        if (weighing == Unmeasured.ONLY) {
            minW = null;
            maxW = null;
        }
        Integer minD = r.nextInt(6) == 0 ? r.nextInt(800) : null;
        Integer maxD = r.nextInt(6) == 0 ? (minD == null ? 0 : minD) + r.nextInt(800) : null;
        final Unmeasured measuring = unmeasured(r, minD != null || maxD != null);
        if (measuring == Unmeasured.ONLY) {
            minD = null;
            maxD = null;
        }
        Integer fromM = null;
        Integer toM = null;
        if (r.nextInt(5) == 0) {
            fromM = r.nextInt(1440);
            do {
                toM = r.nextInt(1440);
            } while (toM.equals(fromM));
        }
        final List<String> barcodePrefixes = r.nextInt(5) == 0 ? List.of(BARCODE_PREFIXES[r.nextInt(BARCODE_PREFIXES.length)]) : List.of();
        final String pattern = r.nextInt(8) == 0 ? PATTERNS[r.nextInt(PATTERNS.length)] : null;
        final List<String> customers = r.nextInt(5) == 0 ? List.of(CUSTOMERS[r.nextInt(CUSTOMERS.length)]) : List.of();
        final boolean group = r.nextInt(4) == 0;
        return new PlainRule(id, prefixes, from, to, services, minW, maxW, weighing, minD, maxD, measuring, fromM, toM, barcodePrefixes,
            pattern, customers, group ? null : 1 + r.nextInt(OUTLETS - 1), group ? (r.nextBoolean() ? "G1" : "G2") : null);
    }

    private static Unmeasured unmeasured(Random r, boolean bounded) {
        if (bounded) {
            return r.nextInt(3) == 0 ? Unmeasured.ALSO : Unmeasured.NEVER;
        }
        return r.nextInt(15) == 0 ? Unmeasured.ONLY : Unmeasured.NO_CONDITION;
    }

    private static Parcel randomParcel(Random r) {
        final String barcode = BARCODE_PREFIXES[r.nextInt(BARCODE_PREFIXES.length)] + digits(r, 1 + r.nextInt(6))
            + (r.nextBoolean() ? "7" : "");
        final String destination = r.nextInt(20) == 0 ? "A" + digits(r, 3) : digits(r, r.nextInt(7));
        final boolean measured = r.nextInt(6) != 0;
        return new Parcel(barcode, destination, r.nextInt(4) == 0 ? "" : CUSTOMERS[r.nextInt(CUSTOMERS.length)],
            r.nextInt(5), r.nextInt(5) == 0 ? 0 : r.nextInt(10_000), measured ? r.nextInt(1000) : 0,
            measured ? r.nextInt(1000) : 0, measured ? r.nextInt(1000) : 0, r.nextInt(1440));
    }

    private static String digits(Random r, int length) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('0' + r.nextInt(4)));
        }
        return sb.toString();
    }

    private static String time(int minute) {
        return String.format("\"%02d:%02d\"", minute / 60, minute % 60);
    }

    static String yaml(List<PlainRule> rules, Map<String, List<Integer>> groups) {
        final StringBuilder y = new StringBuilder("timeZone: UTC\nrejectOutlet: 99\ndefaultOutlet: 12\noverflowOutlet: 98\n");
        y.append("validateCheckDigits: false\noutlets:\n");
        for (int o = 1; o <= OUTLETS; o++) {
            y.append("  - {id: ").append(o).append("}\n");
        }
        y.append("  - {id: 98, type: overflow}\n  - {id: 99, type: reject}\ngroups:\n");
        groups.forEach((id, members) -> y.append("  - {id: ").append(id).append(", outlets: ").append(members).append("}\n"));
        y.append("rules:\n");
        for (PlainRule rule : rules) {
            y.append("  - id: ").append(rule.id).append('\n');
            if (!rule.prefixes.isEmpty()) {
                y.append("    destinationPrefix: ").append(quoted(rule.prefixes)).append('\n');
            }
            if (rule.rangeFrom != null) {
                y.append("    destinationRange: [\"").append(rule.rangeFrom).append("\", \"").append(rule.rangeTo).append("\"]\n");
            }
            if (!rule.services.isEmpty()) {
                y.append("    serviceClass: [").append(String.join(", ", rule.services.stream().map(s -> SERVICES[s]).toList())).append("]\n");
            }
            y.append(measureYaml("weightGrams", "unweighed", rule.minWeight, rule.maxWeight, rule.weighing));
            y.append(measureYaml("maxDimensionMm", "unmeasured", rule.minDim, rule.maxDim, rule.measuring));
            if (rule.from != null) {
                y.append("    time: {from: ").append(time(rule.from)).append(", to: ").append(time(rule.to)).append("}\n");
            }
            if (!rule.barcodePrefixes.isEmpty()) {
                y.append("    barcodePrefix: ").append(quoted(rule.barcodePrefixes)).append('\n');
            }
            if (rule.pattern != null) {
                y.append("    barcodePattern: '").append(rule.pattern).append("'\n");
            }
            if (!rule.customers.isEmpty()) {
                y.append("    customer: ").append(quoted(rule.customers)).append('\n');
            }
            y.append(rule.outlet != null ? "    outlet: " + rule.outlet : "    group: " + rule.group).append('\n');
        }
        return y.toString();
    }

    private static String measureYaml(String field, String none, Integer min, Integer max, Unmeasured unmeasured) {
        return switch (unmeasured) {
            case NO_CONDITION -> "";
            case ONLY -> "    " + field + ": " + none + "\n";
            case NEVER -> "    " + field + ": {" + range(min, max) + "}\n";
            case ALSO -> "    " + field + ": {" + range(min, max) + ", " + none + ": true}\n";
        };
    }

    private static String range(Integer min, Integer max) {
        final List<String> parts = new ArrayList<>();
        if (min != null) {
            parts.add("min: " + min);
        }
        if (max != null) {
            parts.add("max: " + max);
        }
        return String.join(", ", parts);
    }

    private static String quoted(List<String> values) {
        return "[" + String.join(", ", values.stream().map(v -> "\"" + v + "\"").toList()) + "]";
    }
}
