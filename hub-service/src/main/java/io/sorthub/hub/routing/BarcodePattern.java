package io.sorthub.hub.routing;

import java.util.regex.Pattern;

/**
 * A regular expression the whole barcode must match.
 *
 * @param pattern null: any barcode
 * @param index   the pattern's slot in the plan, where each event loop keeps its matcher
 */
public record BarcodePattern(Pattern pattern, int index) {
    public static final BarcodePattern ANY = new BarcodePattern(null, -1);

    public boolean isAny() {
        return pattern == null;
    }

    /** Same expression text: the only equivalence worth checking. */
    public boolean sameAs(BarcodePattern other) {
        return pattern != null && other.pattern != null && pattern.pattern().equals(other.pattern.pattern());
    }
}
