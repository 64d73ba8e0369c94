package io.sorthub.hub.routing;

/**
 * A weight or size condition. A SCAN carries 0 for a parcel that was not weighed or not
 * measured (docs/PROTOCOL.md): such a parcel has no value to compare, so a range never
 * matches it unless the rule says so ({@code unmeasured}). A value below 0 is no
 * measurement either.
 *
 * @param min        smallest measured value that matches, inclusive
 * @param max        largest measured value that matches, inclusive (below {@code min}: none)
 * @param unmeasured whether a parcel without a measurement matches
 */
public record MeasureCondition(int min, int max, boolean unmeasured) {
    /** No condition: every parcel, measured or not. */
    public static final MeasureCondition ANY = new MeasureCondition(0, Integer.MAX_VALUE, true);
    /** Only parcels that were not measured. */
    public static final MeasureCondition UNMEASURED_ONLY = new MeasureCondition(1, 0, true);

    public boolean matches(int value) {
        return value <= 0 ? unmeasured : value >= min && value <= max;
    }

    public boolean isAny() {
        return equals(ANY);
    }

    /** Every value this matches, {@code other} matches too: so no parcel passes this and fails that. */
    public boolean within(MeasureCondition other) {
        final boolean noMeasured = min > max;
        return (!unmeasured || other.unmeasured) && (noMeasured || (other.min <= min && other.max >= max));
    }
}
