package io.sorthub.hub.metrics;

import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.Rule;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.SortPlanHolder;

import java.util.function.Consumer;

/**
 * The meters of the plan in force: its version, abandoned pattern matches, and one set of
 * outlet gauges per plan, replaced ({@link #accept}) wherever a plan is put in force (start,
 * API upload, a standby's plan from the pair's log).
 */
public final class PlanMeters implements Consumer<SortPlan> {
    private final HubMetrics metrics;
    private final OutletStates outlets;

    public PlanMeters(HubMetrics metrics, SortPlanHolder plans, OutletStates outlets) {
        this.metrics = metrics;
        this.outlets = outlets;
        metrics.gauge("sorthub_sort_plan_version", "Version of the sort plan in force", () -> plans.current().version());
        metrics.counter("sorthub_barcode_pattern_abandoned", "Barcode pattern matches abandoned over their step budget "
            + "(a pattern that backtracks without end; the rule did not match)", Rule::patternsAbandoned);
    }

    @Override
    public void accept(SortPlan plan) {
        metrics.outlets(plan, outlet -> outlets.status(outlet).code());
    }
}
