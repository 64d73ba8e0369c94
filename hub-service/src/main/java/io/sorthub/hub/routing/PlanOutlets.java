package io.sorthub.hub.routing;

import java.util.Map;

/**
 * A plan's outlets and where parcels go outside the rules.
 *
 * @param defaultTargets the default outlet, then its group's alternates
 */
public record PlanOutlets(Map<Integer, Outlet> outlets, Map<String, int[]> groups, int[] defaultTargets,
                          int rejectOutlet, int overflowOutlet) {
    public PlanOutlets {
        outlets = Map.copyOf(outlets);
        groups = Map.copyOf(groups);
    }
}
