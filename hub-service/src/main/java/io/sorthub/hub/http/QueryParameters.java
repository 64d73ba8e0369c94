package io.sorthub.hub.http;

import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.TreeSet;

/** A request's query parameters must all be ones the endpoint knows: a misspelt one is refused by name, not ignored. */
final class QueryParameters {
    private QueryParameters() {
    }

    /** @return false after answering 400 naming the unknown parameters */
    static boolean onlyKnown(RoutingContext rc, Set<String> known) {
        final Set<String> unknown = new TreeSet<>(rc.queryParams().names());
        unknown.removeAll(known);
        if (unknown.isEmpty()) {
            return true;
        }
        HttpApiVerticle.error(rc, 400, (unknown.size() == 1 ? "unknown parameter '" + unknown.iterator().next() + "'"
            : "unknown parameters " + unknown) + "; this endpoint takes " + new TreeSet<>(known));
        return false;
    }
}
