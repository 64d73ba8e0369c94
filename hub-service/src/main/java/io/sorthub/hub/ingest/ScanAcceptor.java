package io.sorthub.hub.ingest;

import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.metrics.LoopMetrics;
import io.sorthub.hub.ops.DecisionExceptions;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;

/**
 * What the hub does with one source's SCAN: a duplicate of what it already holds, a new
 * event it decides and puts on the journal queue, or one it must hold back, and why. No
 * Netty here: the session turns a verdict into replies and flow control. Event loop of the
 * source's session; allocation-free.
 *
 * <p>"What the hub already holds" is the highest sequence of the source journaled or put on
 * the journal queue, by this session or one it replaced (PROTOCOL.md, Sequences).
 */
final class ScanAcceptor {
    /** The outcome for one SCAN. Each hold names its cause (a metric each). */
    enum Verdict {
        /** Decided and queued for the journal. */
        ACCEPTED,
        /** Already held: answered DUPLICATE, acknowledged, not queued again. */
        DUPLICATE,
        /** Journal disk nearly full: hold the event, retry slowly. */
        HOLD_DISK,
        /** Too many of the source's events not yet journaled: hold until the writer catches up. */
        HOLD_IN_FLIGHT,
        /** The journal queue is full: hold until the writer makes room. */
        HOLD_QUEUE,
        /** Numbered too far ahead of what the hub holds: refused (see {@link #gapMessage}). */
        GAP_TOO_WIDE
    }

    private final IngestContext shared;
    private final SourceState source;
    private final LoopMetrics counters;
    private final JournalProxy journal;
    private final Decision decision = new Decision();
    private final DecisionExceptions exceptions;
    private long lastAccepted;
    private int offeredInBatch;
    private long acceptedEvents;

    ScanAcceptor(IngestContext shared, SourceState source, LoopMetrics counters) {
        this.shared = shared;
        this.source = source;
        this.counters = counters;
        this.journal = shared.journal();
        this.exceptions = new DecisionExceptions(shared.ops());
        this.lastAccepted = Math.max(source.durableSequence(), source.acceptedSequence());
    }

    /** The highest sequence accepted (journaled or on its way). */
    long lastAccepted() {
        return lastAccepted;
    }

    /** The decision made for the last SCAN that was ACCEPTED or DUPLICATE. */
    Decision decision() {
        return decision;
    }

    Verdict accept(ScanFlyweight scan) {
        final long sequence = scan.sequence();
        final SortPlan plan = shared.plans().current();
        if (sequence <= lastAccepted || sequence <= source.durableSequence()) {
            // Resent after a reconnect: already journaled (or on its way). Answer, ACK, don't journal.
            decision.set(0, DecisionReason.DUPLICATE, 0, plan.version());
            shared.metrics().duplicateAnswered();
            counters.decision(decision.reason);
            return Verdict.DUPLICATE;
        }
        final long gap = shared.limits().maxSequenceGap();
        if (gap > 0 && sequence - lastAccepted > gap) {
            // One SCAN numbered far ahead would make the hub answer every later event of the
            // source DUPLICATE: refused, loudly, instead of silently taken.
            return Verdict.GAP_TOO_WIDE;
        }
        if (shared.disk().blocked()) {
            return Verdict.HOLD_DISK;
        }
        // Events, not sequence distance: a source may skip numbers (PROTOCOL.md).
        if (source.inFlight() + offeredInBatch >= shared.limits().maxInFlight()) {
            return Verdict.HOLD_IN_FLIGHT;
        }
        final long nowNs = shared.clock().nanoTime();
        final long nowMs = nowNs / 1_000_000L;
        // A re-keyed no-read is routed by its re-keyed barcode; then the hold list and overrides.
        final ScanFlyweight routed = exceptions.routed(scan, plan);
        plan.decide(routed, nowMs, shared.outlets(), decision);
        exceptions.apply(routed, nowMs, plan, shared.outlets(), decision);
        if (!journal.offerScan(source.sourceId(), nowNs, decision, scan, routed)) {
            return Verdict.HOLD_QUEUE;
        }
        shared.outlets().apply(scan.kindCode(), scan.outlet()); // later decisions see it at once
        offeredInBatch++;
        acceptedEvents++;
        lastAccepted = sequence;
        count(scan, nowMs);
        exceptions.count(decision);
        return Verdict.ACCEPTED;
    }

    String gapMessage(long sequence) {
        return "SCAN sequence " + sequence + " jumps " + (sequence - lastAccepted) + " past " + lastAccepted
            + ", the highest the hub holds for source " + source.sourceId() + "; gaps of at most "
            + shared.limits().maxSequenceGap() + " are accepted (maxSequenceGap)";
    }

    /** Metrics of an accepted event: this loop's plain counters, no tags, no atomics. */
    private void count(ScanFlyweight scan, long nowMs) {
        final int kind = scan.kindCode();
        counters.event(kind);
        counters.decision(decision.reason);
        counters.timeliness(scan.deviceTimeMs(), nowMs);
        if (decision.outlet != 0) {
            counters.outlet(decision.outlet);
        }
        if (kind == EventKind.CHUTE_FULL.code()) {
            shared.metrics().chuteFull(scan.outlet());
        }
    }

    /**
     * End of a read batch (or of a retry): tell the source's state what went on the queue and
     * wake the writer, once for the whole batch.
     */
    void endOfBatch() {
        if (offeredInBatch > 0) {
            source.offered(lastAccepted, offeredInBatch);
            offeredInBatch = 0;
            journal.wake();
        }
        if (acceptedEvents > 0) {
            source.events().increment(acceptedEvents);
            acceptedEvents = 0;
        }
    }
}
