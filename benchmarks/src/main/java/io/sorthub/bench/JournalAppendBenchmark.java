package io.sorthub.bench;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.Frame;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
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

/** One journal record (a SCAN with its decision, 119 bytes) appended by the single writer to Chronicle Queue. */
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
public class JournalAppendBenchmark {
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
    private Path dir;
    private Journal journal;
    private ExcerptAppender appender;
    private int length;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        length = Scans.journalRecord(record);
        dir = Files.createTempDirectory("sorthub-append");
        journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
        appender = journal.queue().createAppender();
    }

    @Benchmark
    public long append() {
        record.putLong(ScanRecord.SCAN_OFFSET + ScanFlyweight.SEQUENCE_OFFSET, ++sequence, Frame.BYTE_ORDER);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record.byteArray(), 0, length);
        }
        return sequence;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        appender.close();
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
