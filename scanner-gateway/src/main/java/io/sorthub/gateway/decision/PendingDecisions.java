package io.sorthub.gateway.decision;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayDeque;

/**
 * Reads waiting for their outlet, on the gateway's event loop. The hub's DECISION answers a
 * read; one the hub has not decided within its lane's deadline is answered with the lane's
 * fallback outlet by {@link #doWork()}, and a DECISION after that is only counted as late
 * (within {@link #LATE_GRACE_MS}). A
 * lane is one reading device. In an ordered lane (a sorter that matches answers by order, for
 * a profile without a parcel id) an answer goes out only after every earlier one of its lane,
 * so a refused telegram answered at once does not overtake a read still waiting for the hub.
 *
 * <p>Time comes from the injected clocks: a test advances them and calls {@link #doWork()}.
 * Deadlines are on the epoch clock (milliseconds); the round trip from a read to its DECISION
 * is on the nano clock, finer than the round trip's smallest histogram bucket (1 ms).
 *
 * @param <R> where an answer goes (the gateway's device connection)
 */
public final class PendingDecisions<R> {
    /**
     * How long a read answered by its fallback is remembered, to count a DECISION that comes
     * later: an outage of the hub answers minutes of reads by their fallback, and their
     * decisions come when the backlog drains. At most {@link #MAX_REMEMBERED} such reads (the
     * oldest are forgotten first, uncounted), each kept without its strings: some 15 MB at most.
     */
    static final long LATE_GRACE_MS = 3_600_000;
    static final int MAX_REMEMBERED = 100_000;
    /**
     * A late DECISION's round trip is metered only this soon after its fallback: that is a slow
     * hub. Later ones are an outage's backlog draining, and would make the round-trip histogram
     * (and the alert on it) measure how long the outage lasted.
     */
    static final long LATE_ROUND_TRIP_MS = 10_000;

    /** Why an answer has its outlet. */
    public enum Why { HUB, FALLBACK, REJECT }

    /** Writes answers; called on the event loop. */
    public interface Answers<R> {
        void answer(R route, String parcelId, String barcode, long sequence, int outlet, Why why);

        /** The hub decided a read after its fallback had been answered. */
        void late(long sequence);

        /** The hub's DECISION for a read came back {@code nanos} after the read was taken, late or not. */
        void roundTrip(R route, long nanos);
    }

    /** The reads of one device, in the order it sent them. */
    public static final class Lane<R> {
        private final long deadlineMs;
        private final int fallbackOutlet;
        private final boolean ordered;
        private final ArrayDeque<Pending<R>> waiting = new ArrayDeque<>();

        private Lane(long deadlineMs, int fallbackOutlet, boolean ordered) {
            this.deadlineMs = deadlineMs;
            this.fallbackOutlet = fallbackOutlet;
            this.ordered = ordered;
        }

        public int fallbackOutlet() {
            return fallbackOutlet;
        }
    }

    private static final class Pending<R> {
        final Lane<R> lane;
        final long sequence;
        final R route;
        /** Null once answered: a read remembered for a late DECISION keeps no strings. */
        String parcelId;
        String barcode;
        final long deadlineMs;
        final long readAtNs;
        int outlet = -1;
        Why why;
        boolean answered;
        /** When its fallback was answered (epoch ms). */
        long fallbackAtMs;

        Pending(Lane<R> lane, long sequence, R route, String parcelId, String barcode, long deadlineMs, long readAtNs) {
            this.lane = lane;
            this.sequence = sequence;
            this.route = route;
            this.parcelId = parcelId;
            this.barcode = barcode;
            this.deadlineMs = deadlineMs;
            this.readAtNs = readAtNs;
        }
    }

    private final EpochClock clock;
    private final NanoClock nanoClock;
    private final Answers<R> answers;
    private final Long2ObjectHashMap<Pending<R>> bySequence = new Long2ObjectHashMap<>();
    private final ArrayDeque<Lane<R>> lanes = new ArrayDeque<>();
    private final ArrayDeque<Pending<R>> answeredByFallback = new ArrayDeque<>();

    public PendingDecisions(EpochClock clock, NanoClock nanoClock, Answers<R> answers) {
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.answers = answers;
    }

    public Lane<R> lane(long deadlineMs, int fallbackOutlet, boolean ordered) {
        final Lane<R> lane = new Lane<>(deadlineMs, fallbackOutlet, ordered);
        lanes.add(lane);
        return lane;
    }

    /** A spooled read (sequence) whose answer the hub will decide, or its deadline. */
    public void expect(Lane<R> lane, long sequence, R route, String parcelId, String barcode) {
        final Pending<R> p = new Pending<>(lane, sequence, route, parcelId, barcode, clock.time() + lane.deadlineMs,
            nanoClock.nanoTime());
        bySequence.put(sequence, p);
        lane.waiting.addLast(p);
    }

    /** An answer the gateway gives itself (a refused telegram, a full spool): now, or after the earlier ones of an ordered lane. */
    public void answerNow(Lane<R> lane, R route, String parcelId, String barcode, int outlet, Why why) {
        if (!lane.ordered || lane.waiting.isEmpty()) {
            answers.answer(route, parcelId, barcode, 0, outlet, why);
            return;
        }
        final Pending<R> p = new Pending<>(lane, 0, route, parcelId, barcode, Long.MAX_VALUE, 0);
        p.outlet = outlet;
        p.why = why;
        lane.waiting.addLast(p);
    }

    /** The hub's DECISION for a sequence. */
    public void decided(long sequence, int outlet) {
        final Pending<R> p = bySequence.remove(sequence);
        if (p == null) {
            return; // a backlog event from before this process, or forgotten after its grace
        }
        final long roundTripNs = nanoClock.nanoTime() - p.readAtNs;
        if (p.outlet >= 0) {
            if (clock.time() - p.fallbackAtMs <= LATE_ROUND_TRIP_MS) {
                answers.roundTrip(p.route, roundTripNs);
            }
            answers.late(sequence);
            return;
        }
        answers.roundTrip(p.route, roundTripNs);
        p.outlet = outlet;
        p.why = Why.HUB;
        if (p.lane.ordered) {
            release(p.lane);
        } else {
            answer(p); // stays in its lane until it reaches the head; it is skipped there
        }
    }

    /** Fallbacks that are due, answers now in order, and the late-decision memory; returns answers given. */
    public int doWork() {
        final long now = clock.time();
        int work = 0;
        for (Lane<R> lane : lanes) {
            for (Pending<R> head = lane.waiting.peekFirst(); head != null; head = lane.waiting.peekFirst()) {
                if (head.answered) {
                    lane.waiting.pollFirst();
                } else if (head.outlet < 0 && head.deadlineMs <= now) {
                    head.outlet = lane.fallbackOutlet;
                    head.why = Why.FALLBACK;
                    head.fallbackAtMs = now;
                    answeredByFallback.addLast(head);
                    work += release(lane);
                } else if (lane.ordered && head.outlet >= 0) {
                    work += release(lane);
                } else {
                    break;
                }
            }
        }
        for (Pending<R> p = answeredByFallback.peekFirst();
             p != null && (now - p.fallbackAtMs >= LATE_GRACE_MS || answeredByFallback.size() > MAX_REMEMBERED);
             p = answeredByFallback.peekFirst()) {
            answeredByFallback.pollFirst();
            if (bySequence.get(p.sequence) == p) {
                bySequence.remove(p.sequence);
            }
        }
        return work;
    }

    /** Answer the head of a lane and every decided one after it; ordered lanes stop at the first undecided. */
    private int release(Lane<R> lane) {
        int n = 0;
        for (Pending<R> head = lane.waiting.peekFirst(); head != null && head.outlet >= 0; head = lane.waiting.peekFirst()) {
            lane.waiting.pollFirst();
            if (!head.answered) {
                answer(head);
                n++;
            }
        }
        return n;
    }

    private void answer(Pending<R> p) {
        p.answered = true;
        answers.answer(p.route, p.parcelId, p.barcode, p.sequence, p.outlet, p.why);
        p.parcelId = null;
        p.barcode = null;
    }
}
