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
    private static final int OUTLETS = 0x1_0000;
    /** The maps' "no entry": a count can be 0 (before or after only), so 0 cannot mean absent. */
    private static final long NONE = -1L;

    private final Int2IntHashMap ruleIdToPosition = new Int2IntHashMap(NO_POSITION);
    final long[] ruleHits;
    final long[] reasonsBefore = new long[REASONS];
    final long[] reasonsAfter = new long[REASONS];
    final long[][] reasonChanges = new long[REASONS][REASONS];
    /** (old outlet << 16 | new outlet) to parcels, for parcels whose outlet changes. */
    final Long2LongHashMap outletChanges = new Long2LongHashMap(0L);
    /** (hour since the epoch << 16 | outlet) to parcels; the hour being counted is in the arrays below until it ends. */
    private final Long2LongHashMap hourlyBefore = new Long2LongHashMap(NONE);
    private final Long2LongHashMap hourlyAfter = new Long2LongHashMap(NONE);
    // The journal is in time order, so one hour's counts go to plain arrays, moved to the
    // maps when the hour changes: two array increments per decision instead of four map operations.
    private final long[] hourBefore = new long[OUTLETS];
    private final long[] hourAfter = new long[OUTLETS];
    private final int[] hourOutlets = new int[OUTLETS];
    private int hourOutletCount;
    private long hour = Long.MIN_VALUE;
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
        final long hourOfDecision = Math.floorDiv(atMs, HOUR_MS);
        if (hourOfDecision != hour) {
            endHour();
            hour = hourOfDecision;
        }
        count(hourBefore, oldOutlet);
        count(hourAfter, now.outlet);
        if (now.ruleId != 0) {
            final int position = ruleIdToPosition.get(now.ruleId);
            if (position != NO_POSITION) {
                ruleHits[position]++;
            }
        }
    }

    private void count(long[] counts, int outlet) {
        if (hourBefore[outlet] == 0 && hourAfter[outlet] == 0) {
            hourOutlets[hourOutletCount++] = outlet;
        }
        counts[outlet]++;
    }

    /** Moves the hour being counted into the maps. */
    private void endHour() {
        for (int i = 0; i < hourOutletCount; i++) {
            final int outlet = hourOutlets[i];
            final long key = hour << 16 | outlet;
            add(hourlyBefore, key, hourBefore[outlet]);
            add(hourlyAfter, key, hourAfter[outlet]); // both maps get the key: each holds every (hour, outlet)
            hourBefore[outlet] = 0;
            hourAfter[outlet] = 0;
        }
        hourOutletCount = 0;
    }

    /** Every (hour, outlet) counted, as (hour << 16 | outlet, before, after); ends the hour being counted. */
    void forEachHour(HourVisitor visitor) {
        endHour();
        hourlyBefore.forEachLong((key, before) -> visitor.visit(key, before, hourlyAfter.get(key)));
    }

    interface HourVisitor {
        void visit(long key, long before, long after);
    }

    private static void increment(Long2LongHashMap map, long key) {
        map.put(key, map.get(key) + 1);
    }

    private static void add(Long2LongHashMap map, long key, long n) {
        final long was = map.get(key);
        map.put(key, (was == NONE ? 0 : was) + n);
    }
}
