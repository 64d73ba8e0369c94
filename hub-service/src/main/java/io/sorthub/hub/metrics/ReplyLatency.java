package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub's own share of a reply's latency, so a tail can be split between the hub and a
 * load generator on the same cores: from the read of the batch that held a SCAN to the write
 * of its DECISION, and to the write of the ACK that covered it. Recorded on the event loops,
 * once per read batch (its last reply, which waited longest) and per ACK, into wait-free
 * HdrHistogram recorders (no allocation, no lock) for {@code GET /api/latency}, and into
 * Prometheus histograms ({@code sorthub_reply_latency_seconds{reply}}).
 */
public final class ReplyLatency {
    private static final long MAX_NS = TimeUnit.SECONDS.toNanos(60);

    private final Recorder decisions = new Recorder(MAX_NS, 3);
    private final Recorder acks = new Recorder(MAX_NS, 3);
    private final Timer decisionTimer;
    private final Timer ackTimer;

    ReplyLatency(MeterRegistry registry) {
        decisionTimer = timer(registry, "decision");
        ackTimer = timer(registry, "ack");
    }

    private static Timer timer(MeterRegistry registry, String reply) {
        return Timer.builder("sorthub_reply_latency")
            .description("From the read of a SCAN's batch off the socket to the write of its DECISION or of the ACK "
                + "covering it, in the hub (once per read batch and per ACK)")
            .tag("reply", reply)
            .serviceLevelObjectives(Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
                Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
                Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(100))
            .register(registry);
    }

    /** Event loop: a batch's DECISIONs written {@code nanos} after the batch was read. */
    public void decision(long nanos) {
        decisions.recordValue(Math.min(Math.max(nanos, 0), MAX_NS));
        decisionTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Event loop: an ACK written {@code nanos} after the read of a batch it covers. */
    public void ack(long nanos) {
        acks.recordValue(Math.min(Math.max(nanos, 0), MAX_NS));
        ackTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Percentiles since the last call (then they start again), in microseconds. Not hot. */
    public synchronized Map<String, Map<String, Object>> interval() {
        final Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put("decision", summary(decisions.getIntervalHistogram()));
        out.put("ack", summary(acks.getIntervalHistogram()));
        return out;
    }

    private static Map<String, Object> summary(Histogram h) {
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("count", h.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            s.put("p" + (p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)) + "Us",
                h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(p) / 1_000.0);
        }
        s.put("maxUs", h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1_000.0);
        return s;
    }
}
