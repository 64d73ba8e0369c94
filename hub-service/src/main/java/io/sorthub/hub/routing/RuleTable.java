package io.sorthub.hub.routing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A plan's rules in plan order with the indexes that find a parcel's candidates: the
 * destination trie, the barcode-prefix trie (rules without a destination condition), and
 * the rules with neither, which every parcel checks.
 *
 * @param patterns every rule's barcode pattern, by {@link BarcodePattern#index()}
 */
public record RuleTable(List<Rule> rules, PrefixIndex destinations, PrefixIndex barcodes, int[] unindexed,
                        Pattern[] patterns) {
    public RuleTable {
        rules = List.copyOf(rules);
    }
}
