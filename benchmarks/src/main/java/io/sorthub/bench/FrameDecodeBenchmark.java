package io.sorthub.bench;

import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** Validate-and-read one SCAN frame through the flyweights, and encode one DECISION. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class FrameDecodeBenchmark {
    private static final int COUNT = 1024;
    private final int[] offsets = new int[COUNT];
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private UnsafeBuffer frames;
    private int next;

    @Setup
    public void setUp() {
        frames = Scans.sortRequests(COUNT, offsets);
    }

    @Benchmark
    public long decodeScan() {
        final int i = next++ & (COUNT - 1);
        final int offset = offsets[i];
        final int length = frames.getInt(offset, io.sorthub.protocol.Frame.BYTE_ORDER);
        decoder.decode(frames, offset, length);
        final ScanFlyweight scan = decoder.scan();
        return scan.sequence() + scan.barcodeLength() + scan.destinationLength() + scan.weightGrams();
    }

    @Benchmark
    public int encodeDecision() {
        return decision.wrapForEncode(out, 0).sequence(next++).planVersion(7).ruleId(10).outlet(3)
            .reason(DecisionReason.RULE).frameLength();
    }
}
