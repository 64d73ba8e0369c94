package io.sorthub.bench;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.SortPlanCompiler;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One sort decision against plans of 10, 1,000 and 100,000 destination-prefix rules. The
 * cost should stay flat as the plan grows (a trie walk over the destination's bytes).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class SortDecisionBenchmark {
    private static final int COUNT = 1024;

    @Param({"10", "1000", "100000"})
    public int rules;

    private final ScanFlyweight[] scans = new ScanFlyweight[COUNT];
    private final Decision decision = new Decision();
    private static final long NOW = 1_763_800_000_000L;
    private SortPlan plan;
    private io.sorthub.hub.routing.OutletStates states;
    private int next;

    @Setup
    public void setUp() throws Exception {
        plan = new SortPlanCompiler().compile(plan(rules), 1);
        states = new io.sorthub.hub.routing.OutletStates();
        final int[] offsets = new int[COUNT];
        final UnsafeBuffer frames = Scans.sortRequests(COUNT, offsets);
        for (int i = 0; i < COUNT; i++) {
            final FrameDecoder decoder = new FrameDecoder();
            decoder.decode(frames, offsets[i], frames.getInt(offsets[i], io.sorthub.protocol.Frame.BYTE_ORDER));
            scans[i] = decoder.scan();
        }
    }

    /** {@code rules} distinct six-digit postcode prefixes of random lengths over 100 outlets. */
    static String plan(int rules) {
        final StringBuilder yaml = new StringBuilder("rejectOutlet: 999\ndefaultOutlet: 998\noutlets:\n");
        for (int o = 1; o <= 100; o++) {
            yaml.append("  - {id: ").append(o).append("}\n");
        }
        yaml.append("  - {id: 998, type: overflow}\n  - {id: 999, type: reject}\nrules:\n");
        final Random random = new Random(rules);
        for (int r = 1; r <= rules; r++) {
            final String prefix = String.format("%06d", random.nextInt(1_000_000)).substring(0, 2 + random.nextInt(5));
            yaml.append("  - {id: ").append(r).append(", destinationPrefix: '").append(prefix).append("', outlet: ")
                .append(1 + random.nextInt(100)).append("}\n");
        }
        return yaml.toString();
    }

    @Benchmark
    public int decide() {
        return plan.decide(scans[next++ & (COUNT - 1)], NOW, states, decision).outlet;
    }
}
