package io.sorthub.bench;

import io.sorthub.hub.ops.DecisionExceptions;
import io.sorthub.hub.ops.HubOps;
import io.sorthub.hub.ops.Overrides;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
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

import java.util.concurrent.TimeUnit;

/**
 * A sort decision with the hub's exceptions around it (the event loop's path: re-key look-up,
 * the plan, the hold list, the overrides), against a plan of 1,000 rules, with an empty hold
 * list and with one of a million barcodes (1 parcel in 64 on it) and 1,000 destination
 * overrides. Compare with {@link SortDecisionBenchmark}: the exceptions must add little and
 * allocate nothing ({@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Thread)
public class DecisionExceptionsBenchmark {
    private static final int COUNT = 1024;
    private static final long NOW = 1_763_800_000_000L;

    @Param({"0", "1000000"})
    public int holds;

    private final ScanFlyweight[] scans = new ScanFlyweight[COUNT];
    private final Decision decision = new Decision();
    private final OutletStates states = new OutletStates();
    private SortPlan plan;
    private DecisionExceptions exceptions;
    private int next;

    @Setup
    public void setUp() throws Exception {
        plan = new SortPlanCompiler().compile(SortDecisionBenchmark.plan(1000), 1);
        final HubOps ops = new HubOps(0);
        exceptions = new DecisionExceptions(ops);
        final int[] offsets = new int[COUNT];
        final UnsafeBuffer frames = Scans.sortRequests(COUNT, offsets);
        for (int i = 0; i < COUNT; i++) {
            final FrameDecoder decoder = new FrameDecoder();
            decoder.decode(frames, offsets[i], frames.getInt(offsets[i], io.sorthub.protocol.Frame.BYTE_ORDER));
            scans[i] = decoder.scan();
            if (holds > 0 && i % 64 == 0) {
                ops.holds().hold(scans[i].barcode(), "recalled");
            }
        }
        for (int h = 0; h < holds; h++) {
            ops.holds().hold("HOLD" + h, "bulk");
        }
        if (holds > 0) {
            for (int d = 0; d < 1000; d++) {
                ops.overrides().set(Overrides.Scope.DESTINATION, String.format("%06d", d * 997), 7, NOW + 86_400_000L, "b");
            }
        }
    }

    @Benchmark
    public int decideWithExceptions() {
        final ScanFlyweight scan = scans[next++ & (COUNT - 1)];
        final ScanFlyweight routed = exceptions.routed(scan, plan);
        plan.decide(routed, NOW, states, decision);
        exceptions.apply(routed, NOW, plan, states, decision);
        return decision.outlet;
    }
}
