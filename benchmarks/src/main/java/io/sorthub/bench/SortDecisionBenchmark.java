package io.sorthub.bench;

import io.sorthub.hub.routing.Decision;
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
    private io.sorthub.hub.outlet.OutletStates states;
    private int next;

    @Setup
    public void setUp() throws Exception {
        plan = new SortPlanCompiler().compile(plan(rules), 1);
        states = new io.sorthub.hub.outlet.OutletStates();
        final int[] offsets = new int[COUNT];
        final UnsafeBuffer frames = Scans.sortRequests(COUNT, offsets);
        for (int i = 0; i < COUNT; i++) {
            final FrameDecoder decoder = new FrameDecoder();
            decoder.decode(frames, offsets[i], frames.getInt(offsets[i], io.sorthub.protocol.Frame.BYTE_ORDER));
            scans[i] = decoder.scan();
        }
    }

    /**
     * A plan shaped like a national hub's: mostly postcode prefixes, some split by service
     * class, weight band or cut-off time, some postcode ranges, and a few barcode-prefix
     * rules that apply to every destination (checked for every parcel).
     */
    static String plan(int rules) {
        final StringBuilder yaml = new StringBuilder("timeZone: Asia/Shanghai\nrejectOutlet: 999\ndefaultOutlet: 998\noutlets:\n");
        for (int o = 1; o <= 200; o++) {
            yaml.append("  - {id: ").append(o).append("}\n");
        }
        yaml.append("  - {id: 998, type: overflow}\n  - {id: 999, type: reject}\n");
        yaml.append("groups:\n  - {id: G1, outlets: [1, 2, 3]}\n  - {id: G2, outlets: [4, 5]}\nrules:\n");
        final Random random = new Random(rules);
        for (int r = 1; r <= rules; r++) {
            final String postcode = String.format("%06d", random.nextInt(1_000_000));
            final String prefix = postcode.substring(0, 2 + random.nextInt(5));
            final int outlet = 6 + random.nextInt(195);
            yaml.append("  - {id: ").append(r).append(", ");
            final int shape = random.nextInt(100);
            if (r <= 20 && rules >= 1000) {
                yaml.append("barcodePrefix: 'ZZ").append(r).append("', ");
            } else if (shape < 65) {
                yaml.append("destinationPrefix: '").append(prefix).append("', ");
            } else if (shape < 78) {
                yaml.append("destinationPrefix: '").append(prefix).append("', serviceClass: express, ");
            } else if (shape < 88) {
                final String to = postcode.substring(0, 4) + "99";
                yaml.append("destinationRange: ['").append(postcode.substring(0, 4)).append("00', '").append(to)
                    .append("'], weightGrams: {max: ").append(1000 + random.nextInt(20_000)).append("}, ");
            } else if (shape < 96) {
                yaml.append("destinationPrefix: '").append(prefix).append("', time: {from: '")
                    .append(String.format("%02d:00", random.nextInt(24))).append("', to: '")
                    .append(String.format("%02d:30", random.nextInt(24))).append("'}, ");
            } else {
                yaml.append("destinationPrefix: '").append(prefix).append("', customer: ['CUST-7', 'CUST-9'], ");
            }
            yaml.append(random.nextInt(20) == 0 ? "group: G" + (1 + random.nextInt(2)) : "outlet: " + outlet).append("}\n");
        }
        return yaml.toString();
    }

    @Benchmark
    public int decide() {
        return plan.decide(scans[next++ & (COUNT - 1)], NOW, states, decision).outlet;
    }
}
