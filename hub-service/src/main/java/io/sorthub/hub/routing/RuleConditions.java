package io.sorthub.hub.routing;

/**
 * What a parcel must be for a rule to match: every condition holds. A condition the plan
 * leaves out is its {@code ANY} value.
 *
 * @param serviceClasses bit {@code c} set: service class code {@code c} matches; {@link #ANY_SERVICE}: any
 */
public record RuleConditions(DestinationCondition destination, long serviceClasses, CodeList barcodePrefixes,
                             BarcodePattern barcodePattern, CodeList customers, MeasureCondition weight,
                             MeasureCondition dimension, TimeWindow time) {
    public static final long ANY_SERVICE = -1L;
}
