package io.sorthub.bench;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.whatif.WhatIfReplay;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What-if replay: replayed sort decisions per second on one thread. {@code replayJournal}
 * reads a real journal of a million sort requests (a day of traffic, in the page cache)
 * through {@link JournalReader} and a candidate plan, as {@code sort-plan simulate} does;
 * {@code replayRecord} is one record already in memory (the decision and the tally alone).
 * The candidate is the plan in force with its express rules moved to economy, so some
 * parcels change outlet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true", "-Xmx2g"})
@State(Scope.Thread)
public class WhatIfReplayBenchmark {
    static final int JOURNAL_RECORDS = 1 << 20;
    private static final int IN_MEMORY = 4096;
    private static final long DAY_START_MS = 1_763_827_200_000L;

    @Param({"1000", "100000"})
    public int rules;

    private SortPlan candidate;
    private Path dir;
    private Journal journal;
    private final UnsafeBuffer[] records = new UnsafeBuffer[IN_MEMORY];
    private final JournalRecord record = new JournalRecord();
    private WhatIfReplay inMemory;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        final String text = SortDecisionBenchmark.plan(rules);
        final SortPlan inForce = new SortPlanCompiler().compile(text, 1);
        candidate = new SortPlanCompiler().compile(text.replace("serviceClass: express", "serviceClass: economy"), 2);
        dir = Files.createTempDirectory("sorthub-whatif");
        journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
        final Random random = new Random(42);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer encoded = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        final ScanFlyweight scan = new ScanFlyweight();
        final Decision decision = new Decision();
        final OutletStates states = new OutletStates();
        try (ExcerptAppender appender = journal.queue().createAppender()) {
            for (int i = 0; i < JOURNAL_RECORDS; i++) {
                final long atMs = DAY_START_MS + (long) i * 86_400_000L / JOURNAL_RECORDS;
                scan.wrapForEncode(frame, 0).sequence(i + 1).deviceTimeMs(atMs).kind(EventKind.SORT_REQUEST)
                    .serviceClass(random.nextInt(5)).weightGrams(random.nextInt(20) == 0 ? 0 : 100 + random.nextInt(20_000))
                    .dimensionsMm(100 + random.nextInt(900), 200, 100)
                    .strings("TUNNEL-01", "SF" + (1_000_000_000L + i * 7919L), String.format("%06d", random.nextInt(1_000_000)),
                        random.nextInt(10) == 0 ? "CUST-7" : "CUST-1");
                scan.validate(new FrameError());
                inForce.decide(scan, atMs, states, decision);
                final int length = ScanRecord.encode(encoded, 0, 1, atMs * 1_000_000L, decision, scan);
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(encoded.byteArray(), 0, length);
                }
                if (i < IN_MEMORY) {
                    records[i] = new UnsafeBuffer(java.util.Arrays.copyOf(encoded.byteArray(), length));
                }
            }
        }
        inMemory = new WhatIfReplay(candidate, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Benchmark
    @OperationsPerInvocation(JOURNAL_RECORDS)
    public long replayJournal() {
        final WhatIfReplay replay = new WhatIfReplay(candidate, Long.MIN_VALUE, Long.MAX_VALUE);
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readAll(replay);
        }
        return replay.replayed();
    }

    @Benchmark
    public long replayRecord() {
        final int i = next++ & (IN_MEMORY - 1);
        inMemory.onRecord(i, record.wrap(records[i], 0));
        return inMemory.replayed();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
