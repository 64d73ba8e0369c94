package io.sorthub.hub.cleanroom.ops;

import static io.sorthub.hub.cleanroom.ops.Ops.TO_10;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_3;
import static io.sorthub.hub.cleanroom.ops.Ops.chars;
import static org.assertj.core.api.Assertions.assertThat;

import io.sorthub.hub.cleanroom.HubHttp;
import io.sorthub.hub.cleanroom.HubProcess;
import io.sorthub.hub.cleanroom.Wire;
import io.sorthub.hub.cleanroom.WireClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md "Version 2" over real sockets: a session speaks its HELLO's version, version 1
 * and 2 sources side by side, the parcelId field's bounds, version 2 kinds in a version 1
 * frame, and frames of the other version within a session.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolVersion2Test {
    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;
    static final AtomicInteger SOURCES = new AtomicInteger(700);

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        hub = HubProcess.start(dir.resolve("data"));
        http = new HubHttp(hub.httpPort);
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
    }

    @Test
    void version1And2SourcesSideBySide() throws Exception {
        try (Source v1 = Source.open(hub.scanPort, 1, SOURCES.incrementAndGet());
             Source v2 = Source.open(hub.scanPort, 2, SOURCES.incrementAndGet())) {
            assertThat(v1.client.welcome.version()).isEqualTo(1);
            assertThat(v2.client.welcome.version()).isEqualTo(2);
            assertThat(v2.client.welcome.length()).isEqualTo(44);
            for (int i = 0; i < 20; i++) {
                final Wire.Frame a = v1.sort("SBS-1-" + i, i % 2 == 0 ? TO_3 : TO_10);
                final Wire.Frame b = v2.decide(v2.scan(Wire.SORT_REQUEST).barcode("SBS-2-" + i).destination(i % 2 == 0 ? TO_3 : TO_10)
                    .parcelId("TRAY-SBS-" + i));
                assertThat(b.outlet()).isEqualTo(a.outlet()).isEqualTo(i % 2 == 0 ? 3 : 10);
                assertThat(b.reason()).isEqualTo(a.reason()).isEqualTo(Wire.REASON_RULE);
                assertThat(b.ruleId()).isEqualTo(a.ruleId());
                assertThat(b.decisionFlags()).isZero();
            }
            v1.durable();
            v2.durable();
            v2.client.send(Wire.heartbeat(2, 4242));
            final List<Wire.Frame> hb = v2.client.until(f -> f.type() == Wire.HEARTBEAT, Ops.WAIT);
            assertThat(hb.get(hb.size() - 1).heartbeatTime()).isEqualTo(4242);
            assertThat(hb.get(hb.size() - 1).version()).isEqualTo(2);
            assertThat(v1.client.violations).isEmpty();
            assertThat(v2.client.violations).isEmpty();
            assertThat(Ops.trace(http, "SBS-2-3").toString()).contains("TRAY-SBS-3");
        }
    }

    @Test
    void aVersion2ScanOfTheLargestSizeIsAccepted() throws Exception {
        try (Source v2 = Source.open(hub.scanPort, 2, SOURCES.incrementAndGet())) {
            final Wire.Scan scan = v2.scan(Wire.SORT_REQUEST).scannerId(chars('S', 32)).barcode(chars('B', 64))
                .destination("200" + chars('9', 29)).customer(chars('C', 32)).parcelId(chars('P', 32));
            assertThat(scan.frame()).hasSize(237);
            assertThat(v2.decide(scan).outlet()).isEqualTo(3);
            v2.durable();
            assertThat(Ops.trace(http, chars('B', 64)).toString()).contains(chars('P', 32));
        }
    }

    @Test
    void aParcelIdOver32BytesIsFieldTooLong() throws Exception {
        final Wire.Scan scan = Wire.scan().version(2).sequence(1).barcode("V2-LONG").destination(TO_3).parcelId(chars('P', 33));
        final Wire.Frame e = refused(2, scan.frame(), Wire.FIELD_TOO_LONG);
        assertThat(e.errorSequence()).isEqualTo(1);
        // field and byte offset: parcelId follows scannerId "S1", barcode, destination, customer "acme"
        assertThat(e.errorMessage()).containsIgnoringCase("parcel").contains("byte " + (40 + 3 + 8 + 7 + 5));
        assertThat(http.get("/api/parcels/V2-LONG").statusCode()).as("nothing of it journaled").isEqualTo(404);
    }

    @Test
    void aParcelIdRunningPastTheFrameIsTruncated() throws Exception {
        final byte[] body = Wire.scan().version(2).sequence(1).barcode("V2-TRUNC").destination(TO_3).fieldsBeforeParcelId()
            .u8(20).raw("TRAY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).bytes();
        final Wire.Frame e = refused(2, Wire.frame(2, Wire.SCAN, body), Wire.TRUNCATED_FIELD);
        assertThat(e.errorMessage()).containsIgnoringCase("parcel").contains("byte " + (40 + 3 + 9 + 7 + 5));
        assertThat(http.get("/api/parcels/V2-TRUNC").statusCode()).isEqualTo(404);
    }

    @Test
    void aVersion2ScanWithoutItsParcelIdIsRefused() throws Exception {
        final byte[] body = Wire.scan().version(1).sequence(1).barcode("V2-NOPID").destination(TO_3).body();
        // the parcelId's length byte is missing: PROTOCOL.md does not say whether that is MALFORMED_FRAME or TRUNCATED_FIELD
        final Wire.Frame e = refusedWithError(2, Wire.frame(2, Wire.SCAN, body));
        assertThat(e.errorCode()).isIn(Wire.MALFORMED_FRAME, Wire.TRUNCATED_FIELD);
        assertThat(http.get("/api/parcels/V2-NOPID").statusCode()).isEqualTo(404);
    }

    @Test
    void version2KindsInAVersion1FrameAreInvalid() throws Exception {
        for (int kind : new int[] {Wire.REKEY, Wire.BAG_TAG, Wire.BAG_SEALED}) {
            final Wire.Scan scan = Wire.scan().version(1).sequence(1).kind(kind).barcode("V1-KIND-" + kind).outlet(5);
            final Wire.Frame e = refused(1, scan.frame(), Wire.INVALID_FIELD);
            assertThat(e.errorSequence()).isEqualTo(1);
            assertThat(e.errorMessage()).as("kind %d", kind).containsIgnoringCase("kind");
            assertThat(http.get("/api/parcels/V1-KIND-" + kind).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aVersion1ScanWithTrailingParcelIdBytesIsMalformed() throws Exception {
        final byte[] body = Wire.scan().version(2).sequence(1).barcode("V1-TRAIL").destination(TO_3).parcelId("TRAY-1").body();
        refused(1, Wire.frame(1, Wire.SCAN, body), Wire.MALFORMED_FRAME);
    }

    @Test
    void aVersion1FrameInAVersion2SessionIsAViolation() throws Exception {
        refused(2, Wire.scan().version(1).sequence(1).barcode("MIX-1").destination(TO_3).frame(), Wire.PROTOCOL_VIOLATION);
        refused(2, Wire.heartbeat(1, 7), Wire.PROTOCOL_VIOLATION);
        assertThat(http.get("/api/parcels/MIX-1").statusCode()).isEqualTo(404);
    }

    @Test
    void aVersion2FrameInAVersion1SessionIsAViolation() throws Exception {
        refused(1, Wire.scan().version(2).sequence(1).barcode("MIX-2").destination(TO_3).parcelId("T").frame(), Wire.PROTOCOL_VIOLATION);
        refused(1, Wire.heartbeat(2, 7), Wire.PROTOCOL_VIOLATION);
        assertThat(http.get("/api/parcels/MIX-2").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnsupportedVersionIsRefused() throws Exception {
        try (WireClient c = new WireClient(hub.scanPort)) {
            c.expectVersion(3); // whatever the hub answers in: only the ERROR's code is checked
            c.send(Wire.hello(3, SOURCES.incrementAndGet(), "v3", ""));
            final List<Wire.Frame> frames = c.untilClosed(Ops.WAIT);
            assertThat(frames).as("the hub's answer to a version 3 HELLO").isNotEmpty();
            assertThat(frames.get(0).type()).isEqualTo(Wire.ERROR);
            assertThat(frames.get(0).errorCode()).isEqualTo(Wire.UNSUPPORTED_VERSION);
        }
    }

    /** A session of {@code version} sends {@code frame}: the hub answers ERROR {@code code} in the session's version and closes. */
    private static Wire.Frame refused(int version, byte[] frame, int code) throws Exception {
        final Wire.Frame e = refusedWithError(version, frame);
        assertThat(e.errorCode()).as("%s", e).isEqualTo(code);
        return e;
    }

    private static Wire.Frame refusedWithError(int version, byte[] frame) throws Exception {
        try (WireClient c = WireClient.hello(hub.scanPort, version, SOURCES.incrementAndGet(), Ops.WAIT)) {
            c.send(frame);
            final List<Wire.Frame> frames = c.untilClosed(Ops.WAIT);
            assertThat(frames).as("what the hub sent before closing").isNotEmpty();
            final Wire.Frame e = frames.get(frames.size() - 1);
            assertThat(e.type()).as("%s", frames).isEqualTo(Wire.ERROR);
            assertThat(e.version()).as("the ERROR comes in the session's version").isEqualTo(version);
            assertThat(c.violations).isEmpty();
            return e;
        }
    }
}
