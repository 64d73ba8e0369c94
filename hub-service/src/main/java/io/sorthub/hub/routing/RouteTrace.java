package io.sorthub.hub.routing;

import io.sorthub.hub.outlet.OutletStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dry-run decision looked at: the rule that matched and each outlet considered with
 * its state. Used by {@code GET /api/route}, never on the event path (it allocates).
 */
public final class RouteTrace {
    /** One outlet considered, in the order tried. */
    public record Considered(int outlet, OutletStatus status) {
    }

    private final List<Considered> considered = new ArrayList<>();
    private Rule rule;

    void matched(Rule rule) {
        this.rule = rule;
    }

    void considered(int outlet, OutletStatus status) {
        considered.add(new Considered(outlet, status));
    }

    /** The matching rule, or null when the default (or a special case) decided. */
    public Rule rule() {
        return rule;
    }

    public List<Considered> considered() {
        return considered;
    }
}
