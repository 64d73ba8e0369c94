package io.sorthub.hub.whatif;

import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.OutletStateRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;

import java.util.function.IntBinaryOperator;
import java.util.function.ObjLongConsumer;

/**
 * What a candidate plan would have done to the traffic in a journal. Fed the journal's
 * records in order (a {@link JournalReader.Visitor}), it keeps the outlet states as the hub
 * had them (chute events, operator changes, checkpoints), and decides each sort request in
 * the window again with the candidate, at the hub time it was received and with the outlet
 * states of that moment, next to the decision the journal recorded. The candidate's
 * {@link SortPlan#decide} is the hub's own hot path, so a replayed decision allocates
 * nothing either. One thread.
 */
public final class WhatIfReplay implements JournalReader.Visitor {
    private static final int SORT_REQUEST = EventKind.SORT_REQUEST.code();
    private static final int NO_READ = EventKind.NO_READ.code();

    private final SortPlan candidate;
    private final long fromMs;
    private final long toMs;
    private final OutletStates states = new OutletStates();
    private final Decision decision = new Decision();
    private final DecisionTally tally;
    private final ObjLongConsumer<Integer> ignoreSource = (source, sequence) -> { };
    private final IntBinaryOperator checkpointOutlet = (outlet, status) -> {
        states.set(outlet, OutletStatus.fromCode(status));
        return 0;
    };
    private long records;
    private int planChanges;

    /** @param fromMs first hub receive time replayed (inclusive); @param toMs end (exclusive) */
    public WhatIfReplay(SortPlan candidate, long fromMs, long toMs) {
        this.candidate = candidate;
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.tally = new DecisionTally(candidate);
    }

    @Override
    public void onRecord(long index, JournalRecord record) {
        records++;
        switch (record.type()) {
            case JournalRecord.TYPE_SCAN -> {
                final ScanRecord journaled = record.scan();
                final ScanFlyweight scan = journaled.frame();
                final int kind = scan.kindCode();
                if (kind == SORT_REQUEST || kind == NO_READ) {
                    final long atMs = record.receivedAtNs() / 1_000_000L;
                    final DecisionReason recorded = journaled.reason(); // null: a reason this version does not know
                    if (atMs >= fromMs && atMs < toMs && recorded != null) {
                        candidate.decide(scan, atMs, states, decision);
                        tally.record(atMs, journaled.outlet(), recorded, decision);
                    }
                }
                states.apply(kind, scan.outlet()); // as the hub does: later decisions see it
            }
            case JournalRecord.TYPE_OUTLET_STATE -> {
                final OutletStateRecord state = record.outletState();
                states.set(state.outlet(), OutletStatus.fromCode(state.status()));
            }
            case JournalRecord.TYPE_CHECKPOINT -> record.checkpoint().forEach(ignoreSource, checkpointOutlet);
            case JournalRecord.TYPE_PLAN -> {
                if (tally.parcels > 0 && record.receivedAtNs() / 1_000_000L < toMs) {
                    planChanges++; // put in force among the replayed requests: "before" mixes plans
                }
            }
            default -> { }
        }
    }

    /** Journal records seen (all types). */
    public long records() {
        return records;
    }

    /** Sort requests decided again. */
    public long replayed() {
        return tally.parcels;
    }

    /**
     * @param capacityPerHour parcels an outlet can take in an hour, for the overloads; 0: the
     *                        busiest hour any outlet had in the journal's own decisions
     */
    public WhatIfReport report(long capacityPerHour, long elapsedNs) {
        return WhatIfReport.of(candidate, tally, fromMs, toMs, planChanges, capacityPerHour, elapsedNs);
    }
}
