package io.sorthub.hub.routing;

/**
 * Where a rule sends a parcel: outlets in the order to try them (the first, then its
 * alternates), and how the plan named it ("outlet 5", "group BEIJING").
 */
public record Target(int[] outlets, String name) {
}
