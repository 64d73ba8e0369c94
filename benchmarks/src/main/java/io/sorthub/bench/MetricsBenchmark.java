package io.sorthub.bench;

import io.micrometer.core.instrument.Counter;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the hub's metrics cost per accepted event, exactly as the scan session updates them:
 * event kind, timeliness, outlet, decision reason on the loop's own counters, the source's
 * counter once per read batch (32 events here), and the decision-latency histogram for one
 * event in sixteen (its clock reads included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class MetricsBenchmark {
    private static final DecisionReason[] REASONS = {DecisionReason.RECORDED, DecisionReason.RULE,
        DecisionReason.RECORDED, DecisionReason.RECORDED};
    private static final int[] KINDS = {EventKind.ARRIVAL.code(), EventKind.SORT_REQUEST.code(),
        EventKind.CONFIRM_DIVERTED.code(), EventKind.LOADING.code()};
    private HubMetrics metrics;
    private Counter source;
    private io.sorthub.hub.metrics.LoopMetrics loop;
    private long sourceEvents;
    private int n;
    private long now = 1_763_800_000_000L;

    @Setup
    public void setUp() {
        metrics = new HubMetrics();
        metrics.timelinessLimitMs(600_000);
        source = new SourceRegistry(s -> s.events(metrics.source(s))).get(1).events();
        loop = metrics.loop();
        for (int outlet = 1; outlet <= 10; outlet++) {
            loop.outlet(outlet); // first use registers the meter; the benchmark measures the rest
        }
    }

    @Benchmark
    public void perEvent() {
        final int i = n++;
        final boolean sample = (i & 15) == 0;
        final long start = sample ? System.nanoTime() : 0;
        final int step = i & 3;
        loop.event(KINDS[step]);
        sourceEvents++;
        loop.timeliness(now - 1_000, now);
        if (step == 1) {
            loop.outlet(1 + (i >>> 2) % 10);
        }
        loop.decision(REASONS[step]);
        if (sample) {
            metrics.decisionLatency(System.nanoTime() - start);
        }
        if ((i & 31) == 31) { // the session adds its source's count once per read batch
            source.increment(sourceEvents);
            sourceEvents = 0;
        }
    }
}
