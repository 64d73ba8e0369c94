package io.sorthub.hub.routing;

import java.util.List;

/**
 * Destination prefixes, or a digit range turned into the prefixes that cover it. The
 * prefixes live in the plan's {@link PrefixIndex}; only a range's "the next characters up to
 * its length are digits" is left for the rule to check.
 *
 * @param prefixes    empty: any destination
 * @param rangeDigits above 0 for a range: the destination's first {@code rangeDigits} characters must be digits
 */
public record DestinationCondition(List<String> prefixes, int rangeDigits) {
    public static final DestinationCondition ANY = new DestinationCondition(List.of(), 0);

    public DestinationCondition {
        prefixes = List.copyOf(prefixes);
    }

    public boolean isAny() {
        return prefixes.isEmpty();
    }
}
