package io.sorthub.hub.routing;

import java.util.Map;

/**
 * A plan's outlets and where parcels go outside the rules.
 *
 * @param defaultTargets  the default outlet, then its group's alternates
 * @param interceptOutlet where parcels on the hold list go (the reject outlet unless the plan names one)
 */
public record PlanOutlets(Map<Integer, Outlet> outlets, Map<String, int[]> groups, int[] defaultTargets,
                          int rejectOutlet, int overflowOutlet, int interceptOutlet) {
    public PlanOutlets {
        outlets = Map.copyOf(outlets);
        groups = Map.copyOf(groups);
    }
}
