package io.sorthub.hub.whatif;

import io.sorthub.hub.routing.Outlet;
import io.sorthub.hub.routing.Rule;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.DecisionReason;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The result of a what-if replay: what would change if the candidate plan had been in
 * force for the replayed traffic. Immutable; {@link ReportTable}, {@link ReportJson} and
 * {@link ReportCsv} print it as a table, JSON or CSV.
 *
 * @param firstMs         hub time of the first replayed sort request (Long.MAX_VALUE when none)
 * @param planChanges     plans put in force during the window: the journal's decisions came from more than one
 * @param capacityPerHour the load above which an outlet-hour counts as overloaded
 * @param outletChanges   old outlet to new outlet, most parcels first
 * @param outlets         each outlet that received parcels before or after, by id
 * @param hourly          every (hour, outlet) with parcels, in time then outlet order
 * @param overloads       outlet-hours above capacity after the change, busiest first
 * @param rules           the candidate's rules in plan order with the parcels each decided
 */
public record WhatIfReport(String planName, ZoneId zone, long fromMs, long toMs, long firstMs, long lastMs,
                           long parcels, long changedOutlet, long changedReason, int planChanges,
                           List<Change> outletChanges, List<ReasonCount> reasons, List<ReasonChange> reasonChanges,
                           List<Category> categories, List<OutletLoad> outlets, List<HourLoad> hourly,
                           long capacityPerHour, boolean capacityGiven, List<HourLoad> overloads, List<RuleUse> rules,
                           long elapsedNs) {

    /** The answers that go to the reject outlet before any rule is looked at. */
    static final Set<DecisionReason> REJECTS = EnumSet.of(DecisionReason.NO_READ, DecisionReason.MULTI_READ,
        DecisionReason.INVALID_BARCODE, DecisionReason.RECIRCULATION_LIMIT);

    public record Change(int from, int to, long parcels) {
    }

    public record ReasonCount(DecisionReason reason, long before, long after) {
    }

    public record ReasonChange(DecisionReason from, DecisionReason to, long parcels) {
    }

    /** Parcels answered by default, overflow or reject: before, after, and after but not before. */
    public record Category(String name, long before, long after, long newly) {
    }

    public record OutletLoad(int outlet, String name, long before, long after, long peakBeforeHourMs, long peakBefore,
                             long peakAfterHourMs, long peakAfter) {
    }

    public record HourLoad(long hourMs, int outlet, long before, long after) {
    }

    public record RuleUse(int id, int line, long parcels) {
    }

    public List<RuleUse> unusedRules() {
        return rules.stream().filter(r -> r.parcels() == 0).toList();
    }

    public double decisionsPerSecond() {
        return elapsedNs <= 0 ? 0 : parcels * 1e9 / elapsedNs;
    }

    static WhatIfReport of(SortPlan candidate, DecisionTally tally, long fromMs, long toMs, int planChanges,
                           long capacityPerHour, long elapsedNs) {
        final List<Change> changes = new ArrayList<>();
        tally.outletChanges.forEachLong((key, parcels) -> changes.add(new Change((int) (key >>> 16), (int) (key & 0xFFFF), parcels)));
        changes.sort(Comparator.comparingLong(Change::parcels).reversed().thenComparingInt(Change::from)
            .thenComparingInt(Change::to));

        final List<ReasonCount> reasons = new ArrayList<>();
        final List<ReasonChange> reasonChanges = new ArrayList<>();
        for (DecisionReason reason : DecisionReason.values()) {
            final int r = reason.ordinal();
            if (tally.reasonsBefore[r] > 0 || tally.reasonsAfter[r] > 0) {
                reasons.add(new ReasonCount(reason, tally.reasonsBefore[r], tally.reasonsAfter[r]));
            }
            for (DecisionReason to : DecisionReason.values()) {
                if (tally.reasonChanges[r][to.ordinal()] > 0) {
                    reasonChanges.add(new ReasonChange(reason, to, tally.reasonChanges[r][to.ordinal()]));
                }
            }
        }
        reasonChanges.sort(Comparator.comparingLong(ReasonChange::parcels).reversed());

        final List<Category> categories = List.of(
            category("default", EnumSet.of(DecisionReason.DEFAULT), tally),
            category("overflow", EnumSet.of(DecisionReason.OVERFLOW), tally),
            category("reject", REJECTS, tally));

        // (hour, outlet) -> [before, after], in time then outlet order.
        final TreeMap<Long, long[]> cells = new TreeMap<>();
        tally.forEachHour((key, before, after) -> cells.put(key, new long[] {before, after}));
        final List<HourLoad> hourly = new ArrayList<>(cells.size());
        long busiestBefore = 0;
        for (Map.Entry<Long, long[]> cell : cells.entrySet()) {
            final long key = cell.getKey();
            hourly.add(new HourLoad((key >> 16) * DecisionTally.HOUR_MS, (int) (key & 0xFFFF), cell.getValue()[0],
                cell.getValue()[1]));
            busiestBefore = Math.max(busiestBefore, cell.getValue()[0]);
        }
        final boolean capacityGiven = capacityPerHour > 0;
        final long capacity = capacityGiven ? capacityPerHour : busiestBefore;
        final List<HourLoad> overloads = new ArrayList<>(hourly.stream().filter(h -> h.after() > capacity).toList());
        overloads.sort(Comparator.comparingLong(HourLoad::after).reversed().thenComparingLong(HourLoad::hourMs));

        final List<OutletLoad> outlets = outletLoads(hourly, candidate.outlets());
        final List<RuleUse> rules = new ArrayList<>();
        for (Rule rule : candidate.rules()) {
            rules.add(new RuleUse(rule.id(), rule.line(), tally.ruleHits[rule.position()]));
        }
        return new WhatIfReport(candidate.name(), ZoneId.of(candidate.timeZone()), fromMs, toMs,
            tally.parcels == 0 ? Long.MAX_VALUE : tally.firstMs, tally.parcels == 0 ? Long.MIN_VALUE : tally.lastMs,
            tally.parcels, tally.changedOutlet, tally.changedReason, planChanges, List.copyOf(changes),
            List.copyOf(reasons), List.copyOf(reasonChanges), categories, outlets, List.copyOf(hourly), capacity,
            capacityGiven, List.copyOf(overloads), List.copyOf(rules), elapsedNs);
    }

    private static Category category(String name, Set<DecisionReason> reasons, DecisionTally tally) {
        long before = 0;
        long after = 0;
        long newly = 0;
        for (DecisionReason reason : reasons) {
            before += tally.reasonsBefore[reason.ordinal()];
            after += tally.reasonsAfter[reason.ordinal()];
            for (DecisionReason from : DecisionReason.values()) {
                if (!reasons.contains(from)) {
                    newly += tally.reasonChanges[from.ordinal()][reason.ordinal()];
                }
            }
        }
        return new Category(name, before, after, newly);
    }

    private static List<OutletLoad> outletLoads(List<HourLoad> hourly, Map<Integer, Outlet> names) {
        final TreeMap<Integer, long[]> loads = new TreeMap<>(); // before, after, peak before hour, peak before, peak after hour, peak after
        for (HourLoad h : hourly) {
            final long[] load = loads.computeIfAbsent(h.outlet(), o -> new long[6]);
            load[0] += h.before();
            load[1] += h.after();
            if (h.before() > load[3]) {
                load[2] = h.hourMs();
                load[3] = h.before();
            }
            if (h.after() > load[5]) {
                load[4] = h.hourMs();
                load[5] = h.after();
            }
        }
        final List<OutletLoad> result = new ArrayList<>(loads.size());
        loads.forEach((outlet, l) -> result.add(new OutletLoad(outlet,
            names.containsKey(outlet) ? names.get(outlet).name() : (outlet == 0 ? "none" : "not in the candidate plan"),
            l[0], l[1], l[2], l[3], l[4], l[5])));
        return List.copyOf(result);
    }
}
