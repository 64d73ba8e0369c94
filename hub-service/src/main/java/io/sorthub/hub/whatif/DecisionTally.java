package io.sorthub.hub.whatif;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.routing.Rule;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.DecisionReason;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;

import java.util.List;

/**
 * Counts, for each replayed sort request, what the journal recorded and what the candidate
 * plan decides: outlet moves, reasons, outlet load per hour before and after, and which of
 * the candidate's rules fire. Primitive counters and maps only, so a tally allocates
 * nothing per decision once its maps have grown. One thread.
 */
final class DecisionTally {
    static final long HOUR_MS = 3_600_000L;
    private static final int REASONS = DecisionReason.values().length;
    private static final int NO_POSITION = -1;

    private final Int2IntHashMap ruleIdToPosition = new Int2IntHashMap(NO_POSITION);
    final long[] ruleHits;
    final long[] reasonsBefore = new long[REASONS];
    final long[] reasonsAfter = new long[REASONS];
    final long[][] reasonChanges = new long[REASONS][REASONS];
    /** (old outlet << 16 | new outlet) to parcels, for parcels whose outlet changes. */
    final Long2LongHashMap outletChanges = new Long2LongHashMap(0L);
    /** (hour since the epoch << 16 | outlet) to parcels. */
    final Long2LongHashMap hourlyBefore = new Long2LongHashMap(0L);
    final Long2LongHashMap hourlyAfter = new Long2LongHashMap(0L);
    long parcels;
    long changedOutlet;
    long changedReason;
    long firstMs = Long.MAX_VALUE;
    long lastMs = Long.MIN_VALUE;

    DecisionTally(SortPlan candidate) {
        final List<Rule> rules = candidate.rules();
        ruleHits = new long[rules.size()];
        for (Rule rule : rules) {
            ruleIdToPosition.put(rule.id(), rule.position());
        }
    }

    void record(long atMs, int oldOutlet, DecisionReason oldReason, Decision now) {
        parcels++;
        firstMs = Math.min(firstMs, atMs);
        lastMs = Math.max(lastMs, atMs);
        reasonsBefore[oldReason.ordinal()]++;
        reasonsAfter[now.reason.ordinal()]++;
        if (oldReason != now.reason) {
            changedReason++;
            reasonChanges[oldReason.ordinal()][now.reason.ordinal()]++;
        }
        if (oldOutlet != now.outlet) {
            changedOutlet++;
            increment(outletChanges, (long) oldOutlet << 16 | now.outlet);
        }
        final long hour = Math.floorDiv(atMs, HOUR_MS) << 16;
        increment(hourlyBefore, hour | oldOutlet);
        increment(hourlyAfter, hour | now.outlet);
        if (now.ruleId != 0) {
            final int position = ruleIdToPosition.get(now.ruleId);
            if (position != NO_POSITION) {
                ruleHits[position]++;
            }
        }
    }

    private static void increment(Long2LongHashMap map, long key) {
        map.put(key, map.get(key) + 1);
    }
}
