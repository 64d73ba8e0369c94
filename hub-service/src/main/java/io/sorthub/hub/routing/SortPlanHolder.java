package io.sorthub.hub.routing;

/**
 * The plan in force. Event loops read it once per event (one volatile read); a new plan
 * is compiled elsewhere and swapped in whole, so a decision never sees half a plan.
 */
public final class SortPlanHolder {
    private volatile SortPlan current;

    public SortPlanHolder(SortPlan initial) {
        this.current = initial;
    }

    public SortPlan current() {
        return current;
    }

    public void swap(SortPlan plan) {
        this.current = plan;
    }
}
