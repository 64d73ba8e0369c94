package io.sorthub.hub.cleanroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row of PROTOCOL.md's ERROR code table provoked with raw bytes on a connection of its
 * own: the hub answers with exactly that ERROR and closes, and journals nothing of it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedFrameTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SOURCE = 201;

    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void startHub() throws Exception {
        hub = HubProcess.start(dir.resolve("data"));
        http = new HubHttp(hub.httpPort);
    }

    @AfterAll
    static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    private static byte[] withLength(byte[] frame, int length) {
        final byte[] copy = Arrays.copyOf(frame, Math.max(frame.length, length));
        copy[0] = (byte) length;
        copy[1] = (byte) (length >>> 8);
        copy[2] = (byte) (length >>> 16);
        copy[3] = (byte) (length >>> 24);
        return copy;
    }

    private static byte[] withTrailingByte(byte[] frame) {
        return withLength(frame, frame.length + 1);
    }

    private static byte[] scanWith(long sequence, int kind, String barcode) {
        return Wire.scan(sequence, kind, "SCANNER1", barcode, "100000", "acme");
    }

    /** name, whether HELLO goes first, the offending bytes, the ERROR code expected. */
    static Stream<Arguments> malformed() {
        final byte[] helloBody = new Wire.Body().i32(SOURCE).i32(0).var8("x").var8("").bytes();
        return Stream.of(
            Arguments.of("declared length below the header", false, new byte[] {4, 0, 0, 0}, Wire.MALFORMED_FRAME),
            Arguments.of("declared length 7", false, new byte[] {7, 0, 0, 0, 1, 1, 0}, Wire.MALFORMED_FRAME),
            Arguments.of("HEARTBEAT one byte long", true, withTrailingByte(Wire.heartbeat(1)), Wire.MALFORMED_FRAME),
            Arguments.of("HEARTBEAT one byte short", true, Wire.frame(Wire.HEARTBEAT, new byte[7]), Wire.MALFORMED_FRAME),
            Arguments.of("SCAN with a byte after its last field", true, withTrailingByte(scanWith(1, Wire.SORT_REQUEST, "B1")), Wire.MALFORMED_FRAME),
            Arguments.of("HELLO with a byte after its last field", false, withTrailingByte(Wire.hello(SOURCE)), Wire.MALFORMED_FRAME),
            Arguments.of("declared length 1025", false, new byte[] {1, 4, 0, 0}, Wire.FRAME_TOO_LARGE),
            Arguments.of("declared length 2^32-1 (uint32)", false, new byte[] {-1, -1, -1, -1}, Wire.FRAME_TOO_LARGE),
            Arguments.of("version 3", false, Wire.frame(3, Wire.HELLO, helloBody), Wire.UNSUPPORTED_VERSION),
            Arguments.of("version 0 after HELLO", true, Wire.frame(0, Wire.HEARTBEAT, new byte[8]), Wire.UNSUPPORTED_VERSION),
            Arguments.of("type 0x55", false, Wire.frame(1, 0x55, helloBody), Wire.UNKNOWN_TYPE),
            Arguments.of("type 0x13 after HELLO", true, Wire.frame(1, 0x13, new byte[16]), Wire.UNKNOWN_TYPE),
            Arguments.of("HELLO name runs past the frame", false,
                Wire.frame(Wire.HELLO, new Wire.Body().i32(SOURCE).i32(0).u8(20).raw(new byte[] {'a', 'b', 'c'}).bytes()), Wire.TRUNCATED_FIELD),
            Arguments.of("SCAN customer runs past the frame", true,
                Wire.frame(Wire.SCAN, Arrays.copyOf(Wire.scanBody(1, Wire.SORT_REQUEST, "S", "B1", "1", "acme"),
                    Wire.scanBody(1, Wire.SORT_REQUEST, "S", "B1", "1", "acme").length - 2)), Wire.TRUNCATED_FIELD),
            Arguments.of("HELLO name of 33 bytes", false, Wire.hello(SOURCE, "n".repeat(33), ""), Wire.FIELD_TOO_LONG),
            Arguments.of("HELLO credential of 65 bytes", false, Wire.hello(SOURCE, "n", "c".repeat(65)), Wire.FIELD_TOO_LONG),
            Arguments.of("SCAN scannerId of 33 bytes", true, Wire.scan(1, Wire.SORT_REQUEST, "s".repeat(33), "B1", "1", "c"), Wire.FIELD_TOO_LONG),
            Arguments.of("SCAN destination of 33 bytes", true, Wire.scan(1, Wire.SORT_REQUEST, "S", "B1", "1".repeat(33), "c"), Wire.FIELD_TOO_LONG),
            Arguments.of("HELLO source id 0", false, Wire.hello(0, "x", ""), Wire.INVALID_FIELD),
            Arguments.of("HELLO source id -1", false, Wire.hello(-1, "x", ""), Wire.INVALID_FIELD),
            Arguments.of("SCAN event kind 16", true, scanWith(1, 16, "B1"), Wire.INVALID_FIELD),
            Arguments.of("SCAN event kind 0", true, scanWith(1, 0, "B1"), Wire.INVALID_FIELD),
            Arguments.of("SCAN sequence 0", true, scanWith(0, Wire.SORT_REQUEST, "B1"), Wire.INVALID_FIELD),
            Arguments.of("SCAN sequence -5", true, scanWith(-5, Wire.SORT_REQUEST, "B1"), Wire.INVALID_FIELD),
            Arguments.of("SCAN before HELLO", false, scanWith(1, Wire.SORT_REQUEST, "B1"), Wire.PROTOCOL_VIOLATION),
            Arguments.of("HEARTBEAT before HELLO", false, Wire.heartbeat(1), Wire.PROTOCOL_VIOLATION),
            Arguments.of("ACK before HELLO", false, Wire.frame(Wire.ACK, new byte[16]), Wire.PROTOCOL_VIOLATION),
            Arguments.of("a second HELLO", true, Wire.hello(SOURCE), Wire.PROTOCOL_VIOLATION),
            Arguments.of("WELCOME sent to the hub", true, Wire.frame(Wire.WELCOME, new byte[36]), Wire.PROTOCOL_VIOLATION),
            Arguments.of("DECISION sent to the hub", true, Wire.frame(Wire.DECISION, new byte[24]), Wire.PROTOCOL_VIOLATION),
            Arguments.of("ACK sent to the hub", true, Wire.frame(Wire.ACK, new byte[16]), Wire.PROTOCOL_VIOLATION),
            Arguments.of("ERROR sent to the hub", true, Wire.frame(Wire.ERROR, new byte[18]), Wire.PROTOCOL_VIOLATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void eachMalformedFrameGetsItsErrorAndTheConnectionCloses(String name, boolean helloFirst, byte[] bytes, int code) throws Exception {
        final String series = "sorthub_protocol_errors_total{code=\"" + CODE_NAMES.get(code - 1) + "\"}";
        final double before = http.metric(series);
        try (WireClient c = new WireClient(hub.scanPort)) {
            if (helloFirst) {
                c.send(Wire.hello(SOURCE));
                assertThat(c.next(WAIT).type()).isEqualTo(Wire.WELCOME);
            }
            c.trySend(bytes);
            final List<Wire.Frame> frames = c.untilClosed(WAIT);
            assertThat(frames).as("%s: the hub's answer", name).hasSize(1);
            final Wire.Frame error = frames.get(0);
            assertThat(error.type()).as("%s: %s", name, error).isEqualTo(Wire.ERROR);
            assertThat(error.errorCode()).as("%s: %s", name, error).isEqualTo(code);
            assertThat(error.errorMessage()).as("%s: a message saying what was wrong", name).isNotBlank();
            assertThat(c.violations).isEmpty();
        }
        assertThat(http.metric(series) - before).as(series).isEqualTo(1);
    }

    private static final List<String> CODE_NAMES = List.of("malformed_frame", "frame_too_large", "unsupported_version",
        "unknown_type", "truncated_field", "field_too_long", "invalid_field", "protocol_violation");

    @Test
    void anOversizedLengthIsRefusedBeforeTheBodyArrives() throws Exception {
        try (WireClient c = new WireClient(hub.scanPort)) {
            c.send(new byte[] {0, 8, 0, 0}); // 2048, and nothing after it
            final Wire.Frame error = c.next(WAIT);
            assertThat(error.type()).as("%s", error).isEqualTo(Wire.ERROR);
            assertThat(error.errorCode()).isEqualTo(Wire.FRAME_TOO_LARGE);
            assertThat(c.next(WAIT)).isSameAs(WireClient.EOF);
        }
    }

    @Test
    void theDocumentedExampleMessage() throws Exception {
        try (WireClient c = WireClient.hello(hub.scanPort, SOURCE + 1, WAIT)) {
            // scannerId of 8 bytes: its var8 occupies 40..48, the barcode's length byte is at 49
            c.send(scanWith(1, Wire.SORT_REQUEST, "B".repeat(70)));
            final List<Wire.Frame> frames = c.untilClosed(WAIT);
            assertThat(frames).hasSize(1);
            assertThat(frames.get(0).errorCode()).isEqualTo(Wire.FIELD_TOO_LONG);
            assertThat(frames.get(0).errorMessage()).isEqualTo("SCAN barcode at byte 49 is 70 bytes long; the limit is 64");
        }
    }

    @Test
    void eventsAcknowledgedBeforeAnErrorStayAcknowledgedAndNothingOfTheBadFrameIsJournaled() throws Exception {
        final int source = SOURCE + 2;
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            for (long s = 1; s <= 10; s++) {
                c.send(scanWith(s, Wire.SORT_REQUEST, "P" + s));
            }
            c.untilAck(10, WAIT);
            c.send(scanWith(11, 99, "P11"));
            final List<Wire.Frame> end = c.untilClosed(WAIT);
            assertThat(end.get(end.size() - 1).errorCode()).as("%s", end).isEqualTo(Wire.INVALID_FIELD);
            assertThat(end).noneMatch(f -> f.type() == Wire.DECISION && f.decisionSequence() == 11);
        }
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            assertThat(c.welcome.resumeSequence()).isEqualTo(10);
            c.send(scanWith(11, Wire.ARRIVAL, "P11"));
            final List<Wire.Frame> frames = c.untilAck(11, WAIT);
            assertThat(frames.get(0).type()).isEqualTo(Wire.DECISION);
            assertThat(frames.get(0).reason()).isEqualTo(Wire.REASON_RECORDED);
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactlyElementsOf(JournalExport.range(1, 11));
    }

    /**
     * PROTOCOL.md, ERROR: offset 16 is "sequence of the SCAN concerned, 0 when not about one".
     * A SCAN whose fixed part is whole but whose event kind or barcode is bad is about that SCAN.
     */
    @Test
    void anErrorAboutAScanCarriesItsSequence() throws Exception {
        try (WireClient c = WireClient.hello(hub.scanPort, SOURCE + 3, WAIT)) {
            c.send(scanWith(78, 16, "B1"));
            final List<Wire.Frame> frames = c.untilClosed(WAIT);
            assertThat(frames.get(0).errorCode()).isEqualTo(Wire.INVALID_FIELD);
            assertThat(frames.get(0).errorSequence()).as("%s", frames.get(0)).isEqualTo(78);
        }
        try (WireClient c = WireClient.hello(hub.scanPort, SOURCE + 3, WAIT)) {
            c.send(scanWith(77, Wire.SORT_REQUEST, "B".repeat(70)));
            final List<Wire.Frame> frames = c.untilClosed(WAIT);
            assertThat(frames.get(0).errorCode()).isEqualTo(Wire.FIELD_TOO_LONG);
            assertThat(frames.get(0).errorSequence()).as("%s", frames.get(0)).isEqualTo(77);
        }
    }
}
