package io.sorthub.gateway.sim;

import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.client.HubClient;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated scanner source on its own connection and thread. Open loop: event i is due
 * at start + i * interval whatever the hub does, and latency is measured from that intended
 * time, so a stalled hub shows up as latency instead of hiding as a slower send rate
 * (coordinated omission). The reader thread records DECISION and ACK latency.
 */
final class SimulatedSource implements HubClient.Listener, Runnable {
    /** The machine's clocks: this tool paces and times real traffic. */
    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;
    private static final EpochClock WALL = SystemEpochClock.INSTANCE;
    /** Intended send times are kept for this many in-flight events; beyond it the sender waits. */
    private static final int WINDOW = 1 << 20;
    private static final int MASK = WINDOW - 1;

    private final HubClient client;
    private final TrafficGenerator traffic;
    private final long intervalNs;
    private final long limit;
    private final long deadlineNs;
    private final AtomicLongArray intendedNs = new AtomicLongArray(WINDOW);
    private final java.util.concurrent.atomic.AtomicIntegerArray decided = new java.util.concurrent.atomic.AtomicIntegerArray(WINDOW);
    final Recorder decisionLatency = new Recorder(3);
    final Recorder ackLatency = new Recorder(3);
    final AtomicLong sent = new AtomicLong();
    final AtomicLong decisions = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong[] byReason = new AtomicLong[DecisionReason.MAX_CODE + 1];
    final long firstSequence;
    volatile String error;
    volatile boolean closed;
    private volatile boolean stopping;

    SimulatedSource(String host, int port, int sourceId, long ratePerSecond, long limit, long deadlineNs, long seed,
                    String run) throws IOException {
        this.client = HubClient.connect(host, port, sourceId, "sim-" + sourceId, "", Duration.ofSeconds(10));
        this.traffic = new TrafficGenerator(seed, "SIM" + sourceId, run, seq -> decided.get((int) (seq & MASK)));
        this.intervalNs = ratePerSecond <= 0 ? 0 : Math.max(1, 1_000_000_000L / ratePerSecond);
        this.limit = limit;
        this.deadlineNs = deadlineNs;
        this.firstSequence = client.resumeSequence() + 1;
        for (int i = 0; i < byReason.length; i++) {
            byReason[i] = new AtomicLong();
        }
        acked.set(client.resumeSequence());
        client.start(this);
    }

    @Override
    public void run() {
        final long start = CLOCK.nanoTime();
        long sequence = firstSequence;
        try {
            while (!stopping && !closed && sent.get() < limit) {
                final long now = CLOCK.nanoTime();
                if (now >= deadlineNs) {
                    break;
                }
                final long due = intervalNs == 0 ? Long.MAX_VALUE : (now - start) / intervalNs + 1;
                int batch = 0;
                while (sent.get() < due && sent.get() < limit && batch < 256) {
                    if (sequence - acked.get() >= WINDOW - 1) {
                        break; // the window of intended times is full: wait for ACKs
                    }
                    final long intended = intervalNs == 0 ? CLOCK.nanoTime() : start + sent.get() * intervalNs;
                    intendedNs.set((int) (sequence & MASK), intended);
                    decided.set((int) (sequence & MASK), 0);
                    traffic.next(client.scan().sequence(sequence), WALL.time());
                    client.sendScan();
                    sequence++;
                    sent.incrementAndGet();
                    batch++;
                }
                if (batch > 0) {
                    client.flush();
                } else if (intervalNs > 0) {
                    // Sleep until the next event is due: waking early only burns the CPU the
                    // hub needs on a small machine. Lateness is measured, not hidden.
                    final long nextDue = start + sent.get() * intervalNs;
                    LockSupport.parkNanos(Math.max(nextDue - CLOCK.nanoTime(), 10_000));
                } else {
                    LockSupport.parkNanos(50_000); // window full at full speed: wait for ACKs
                }
            }
            client.flush();
        } catch (IOException e) {
            if (!closed) {
                error = "send failed: " + e.getMessage();
            }
        }
    }

    /** Stop sending; replies are still read. */
    void stop() {
        stopping = true;
    }

    long lastSequence() {
        return firstSequence + sent.get() - 1;
    }

    long noReads() {
        return traffic.noReads();
    }

    @Override
    public void onDecision(DecisionFlyweight decision) {
        final long latency = CLOCK.nanoTime() - intendedNs.get((int) (decision.sequence() & MASK));
        decisionLatency.recordValue(Math.max(0, latency));
        decisions.incrementAndGet();
        decided.set((int) (decision.sequence() & MASK), decision.outlet());
        byReason[decision.reasonCode()].incrementAndGet();
    }

    @Override
    public void onAck(long sequence) {
        final long now = CLOCK.nanoTime();
        long previous = acked.get();
        for (long s = previous + 1; s <= sequence; s++) {
            ackLatency.recordValue(Math.max(0, now - intendedNs.get((int) (s & MASK))));
        }
        if (sequence > previous) {
            acked.set(sequence);
        }
    }

    @Override
    public void onError(ErrorCode code, long sequence, String message) {
        error = code + ": " + message;
    }

    @Override
    public void onClosed(Throwable cause) {
        closed = true;
        if (cause != null && error == null && !stopping) {
            error = "connection lost: " + cause.getMessage();
        }
    }

    void close() throws IOException {
        stopping = true;
        client.close();
    }
}
