package io.sorthub.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the frame decoder (Jazzer). Without {@code JAZZER_FUZZ} this runs
 * the seeds in {@code FrameDecoderFuzzTestInputs} and the empty input as regression cases;
 * the {@code fuzz} Surefire execution fuzzes it for {@code maxDuration}.
 *
 * <p>The buffer is exactly as long as the input and Agrona checks bounds, so a read past the
 * frame is an exception and a finding. Decoding must not allocate: it runs per frame on the
 * event loop (measured on a second pass over the same bytes, once any class it touches is loaded).
 */
class FrameDecoderFuzzTest {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * Zero on the seeds. While fuzzing, Jazzer's coverage instrumentation itself sometimes
     * allocates a few hundred bytes when a run reaches a new edge, so there the bound only
     * says "not growing with the input"; JMH with -prof gc shows the 0 B/op.
     */
    private static final long ALLOCATION_LIMIT = System.getenv("JAZZER_FUZZ") == null ? 0 : 4096;
    private final FrameDecoder decoder = new FrameDecoder();

    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyBytesDecodeOrNameWhatIsWrong(byte[] input) {
        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        decoder.decode(buffer, 0, input.length); // the first pass may load (and instrument) classes
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        final int type = decoder.decode(buffer, 0, input.length);
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated decoding %d bytes", input.length).isLessThanOrEqualTo(ALLOCATION_LIMIT);

        if (type < 0) {
            final FrameError error = decoder.error();
            assertThat(error.code()).isNotNull();
            assertThat(error.message()).isNotBlank();
            assertThat(error.offset()).isBetween(0, Math.max(input.length, Frame.HEADER_LENGTH));
            return;
        }
        assertThat(input.length).isBetween(Frame.HEADER_LENGTH, Frame.MAX_FRAME_LENGTH);
        readEverything(type);
    }

    /** A frame the decoder accepted must be readable field by field within its own bytes. */
    private void readEverything(int type) {
        switch (type) {
            case MessageType.HELLO -> {
                final HelloFlyweight hello = decoder.hello();
                hello.sourceId();
                assertThat(hello.sourceName()).isNotNull();
            }
            case MessageType.WELCOME -> {
                final WelcomeFlyweight w = decoder.welcome();
                w.sourceId();
                w.resumeSequence();
                w.planVersion();
                w.maxFrameLength();
            }
            case MessageType.SCAN -> {
                final ScanFlyweight scan = decoder.scan();
                scan.sequence();
                scan.kind();
                scan.weightGrams();
                assertThat(scan.barcode()).hasSize(scan.barcodeLength());
                assertThat(scan.destination()).hasSize(scan.destinationLength());
                assertThat(scan.customer()).hasSize(scan.customerLength());
                assertThat(scan.scannerId()).hasSize(scan.scannerIdLength());
            }
            case MessageType.DECISION -> {
                final DecisionFlyweight d = decoder.decision();
                d.sequence();
                d.outlet();
                d.reason();
            }
            case MessageType.ACK -> decoder.ack().sequence();
            case MessageType.CHALLENGE -> decoder.challenge().readDigest(new byte[DigestFlyweight.DIGEST_LENGTH]);
            case MessageType.AUTH -> decoder.auth().readDigest(new byte[DigestFlyweight.DIGEST_LENGTH]);
            case MessageType.HEARTBEAT -> decoder.heartbeat().timeMs();
            case MessageType.ERROR -> {
                final ErrorFlyweight e = decoder.errorFrame();
                e.code();
                assertThat(e.message()).isNotNull(); // UTF-8: invalid bytes become U+FFFD, never an exception
            }
            default -> throw new AssertionError("decoder returned unknown type " + type);
        }
    }
}
