package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.CodeList;
import io.sorthub.hub.routing.PrefixIndex;
import io.sorthub.hub.routing.Rule;
import io.sorthub.hub.routing.RuleTable;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Puts each rule where a decision will find it: under its destination prefixes in the
 * destination trie; failing that under its barcode prefixes in the barcode trie; failing
 * that on the short list every parcel checks.
 */
final class RuleIndexer {
    private RuleIndexer() {
    }

    static RuleTable index(List<Rule> rules, Pattern[] patterns) {
        final PrefixIndex.Builder destinations = new PrefixIndex.Builder();
        final PrefixIndex.Builder barcodes = new PrefixIndex.Builder();
        final int[] unindexed = new int[rules.size()];
        int unindexedCount = 0;
        for (Rule rule : rules) {
            final List<String> prefixes = rule.conditions().destination().prefixes();
            final CodeList barcodePrefixes = rule.conditions().barcodePrefixes();
            if (!prefixes.isEmpty()) {
                for (String prefix : prefixes) {
                    destinations.add(prefix, rule.position());
                }
            } else if (!barcodePrefixes.isAny()) {
                for (int i = 0; i < barcodePrefixes.size(); i++) {
                    barcodes.add(barcodePrefixes.get(i), rule.position());
                }
            } else {
                unindexed[unindexedCount++] = rule.position();
            }
        }
        return new RuleTable(rules, destinations.build(), barcodes.build(),
            java.util.Arrays.copyOf(unindexed, unindexedCount), patterns);
    }
}
