package io.sorthub.bench;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.ChronicleJournalWriter;
import io.sorthub.hub.journal.Durability;
import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The hub's hot path in one thread, without sockets: decode a SCAN, route it with the demo
 * plan, put the journal record on the writer's queue, and (every 64 events, as the writer
 * would in a batch) append to a real Chronicle Queue on disk, forced to disk per batch with
 * {@code durability=sync}. Per-event time and allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true"})
@State(Scope.Thread)
public class PipelineBenchmark {
    private static final int COUNT = 1024;
    private final int[] offsets = new int[COUNT];
    private final FrameDecoder decoder = new FrameDecoder();
    private final Decision decision = new Decision();
    private UnsafeBuffer frames;
    private SortPlan plan;
    private final io.sorthub.hub.outlet.OutletStates states = new io.sorthub.hub.outlet.OutletStates();
    @Param({"pagecache", "sync"})
    public String durability;
    private JournalProxy proxy;
    private JournalAgent agent;
    private Journal journal;
    private Path dir;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        frames = Scans.sortRequests(COUNT, offsets);
        try (var in = SortPlan.class.getResourceAsStream("/demo-plan.yaml")) {
            plan = new SortPlanCompiler().compile(new String(in.readAllBytes()), 1);
        }
        dir = Files.createTempDirectory("sorthub-bench");
        journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
        proxy = new JournalProxy(1 << 20);
        agent = new JournalAgent(proxy, new ChronicleJournalWriter(journal, Durability.parse(durability)),
            new SourceRegistry(), new HubMetrics(), new ParcelIndex(), new SystemNanoClock(), e -> {
                throw new IllegalStateException(e);
            });
    }

    @Benchmark
    public int decodeRouteJournal() {
        final long seq = ++sequence;
        final int offset = offsets[(int) (seq & (COUNT - 1))];
        frames.putLong(offset + ScanFlyweight.SEQUENCE_OFFSET, seq, Frame.BYTE_ORDER);
        decoder.decode(frames, offset, frames.getInt(offset, Frame.BYTE_ORDER));
        final ScanFlyweight scan = decoder.scan();
        plan.decide(scan, seq, states, decision);
        if (!proxy.offerScan(1, seq, decision, scan)) {
            agent.doWork();
            proxy.offerScan(1, seq, decision, scan);
        }
        if ((seq & 63) == 0) {
            agent.doWork();
        }
        return decision.outlet;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        agent.onClose();
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
