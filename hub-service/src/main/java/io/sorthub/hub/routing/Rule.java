package io.sorthub.hub.routing;

/**
 * One rule of a plan: a destination prefix and the outlet it sends to. Rules are kept in
 * plan order; the first that matches wins.
 */
public record Rule(int id, String destinationPrefix, int outlet) {
}
