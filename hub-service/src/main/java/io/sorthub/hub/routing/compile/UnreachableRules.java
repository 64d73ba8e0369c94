package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.PrefixIndex;
import io.sorthub.hub.routing.Rule;
import io.sorthub.hub.routing.RuleConditions;
import io.sorthub.hub.routing.RuleTable;

import java.util.ArrayList;
import java.util.List;

/**
 * The lint for rules no parcel can reach: a rule is unreachable when an earlier rule
 * matches every parcel it matches. Only rules that share a prefix path with it (or match
 * any destination and barcode) can cover it, so the tries bound the search, and at most
 * {@link #CHECKS_PER_RULE} candidates are compared per rule: it finds the common cases, not
 * every possible one, and it never calls a reachable rule unreachable.
 */
final class UnreachableRules {
    static final int CHECKS_PER_RULE = 256;
    /** Warnings kept; a plan with more says how many more. */
    static final int MAX_WARNINGS = 100;

    private UnreachableRules() {
    }

    static List<String> find(RuleTable table) {
        final List<String> warnings = new ArrayList<>();
        int more = 0;
        final List<Rule> rules = table.rules();
        final List<int[]> candidates = new ArrayList<>();
        for (Rule rule : rules) {
            final RuleConditions later = rule.conditions();
            candidates.clear();
            candidates.add(table.unindexed());
            if (!later.destination().isAny()) {
                // A covering rule must cover the rule's first prefix: rules on its ancestors' nodes.
                addPath(table.destinations(), later.destination().prefixes().get(0), candidates);
            }
            if (!later.barcodePrefixes().isAny()) {
                addPath(table.barcodes(), later.barcodePrefixes().get(0), candidates);
            }
            final Rule cover = firstCover(rules, rule, candidates);
            if (cover != null && warnings.size() == MAX_WARNINGS) {
                more++;
            } else if (cover != null) {
                warnings.add("rule " + rule.id() + (rule.line() > 0 ? " (line " + rule.line() + ")" : "")
                    + " is unreachable: rule " + cover.id() + (cover.line() > 0 ? " (line " + cover.line() + ")" : "")
                    + " comes first and matches every parcel it would");
            }
        }
        if (more > 0) {
            warnings.add("... and " + more + " more unreachable rules");
        }
        return warnings;
    }

    private static Rule firstCover(List<Rule> rules, Rule rule, List<int[]> candidates) {
        int checks = 0;
        for (int[] list : candidates) {
            for (int position : list) {
                if (position >= rule.position() || checks++ > CHECKS_PER_RULE) {
                    break;
                }
                if (covers(rules.get(position).conditions(), rule.conditions())) {
                    return rules.get(position);
                }
            }
        }
        return null;
    }

    private static void addPath(PrefixIndex index, String prefix, List<int[]> out) {
        int node = PrefixIndex.root();
        for (int i = 0; i < prefix.length() && node >= 0; i++) {
            node = index.child(node, (byte) prefix.charAt(i));
            if (node >= 0 && index.rulesAt(node) != null) {
                out.add(index.rulesAt(node));
            }
        }
    }

    private static boolean startsWithAny(String value, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (value.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every parcel {@code later} matches, {@code first} matches too. */
    static boolean covers(RuleConditions first, RuleConditions later) {
        if (!first.destination().isAny()) {
            if (later.destination().isAny()) {
                return false;
            }
            for (String p : later.destination().prefixes()) {
                if (!startsWithAny(p, first.destination().prefixes())) {
                    return false;
                }
            }
        }
        if (first.destination().rangeDigits() > later.destination().rangeDigits()) {
            return false;
        }
        if ((first.serviceClasses() & later.serviceClasses()) != later.serviceClasses()) {
            return false;
        }
        if (!first.barcodePrefixes().isAny()
            && (later.barcodePrefixes().isAny() || !later.barcodePrefixes().prefixedBy(first.barcodePrefixes()))) {
            return false;
        }
        if (!first.barcodePattern().isAny() && !first.barcodePattern().sameAs(later.barcodePattern())) {
            return false;
        }
        if (!first.customers().isAny() && (later.customers().isAny() || !later.customers().subsetOf(first.customers()))) {
            return false;
        }
        return later.weight().within(first.weight()) && later.dimension().within(first.dimension())
            && later.time().within(first.time());
    }
}
