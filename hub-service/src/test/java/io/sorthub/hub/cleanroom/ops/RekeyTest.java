package io.sorthub.hub.cleanroom.ops;

import static io.sorthub.hub.cleanroom.ops.Ops.INTERCEPT_OUTLET;
import static io.sorthub.hub.cleanroom.ops.Ops.REJECT_OUTLET;
import static io.sorthub.hub.cleanroom.ops.Ops.RULE_TO_10;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_10;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_3;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_8;
import static io.sorthub.hub.cleanroom.ops.Ops.assertBadRequest;
import static io.sorthub.hub.cleanroom.ops.Ops.chars;
import static io.sorthub.hub.cleanroom.ops.Ops.q;
import static io.sorthub.hub.cleanroom.ops.Ops.seg;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sorthub.hub.cleanroom.HubHttp;
import io.sorthub.hub.cleanroom.HubProcess;
import io.sorthub.hub.cleanroom.Wire;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-keys (补码), PROTOCOL.md "Version 2" and OPERATIONS.md: a coding station keys the barcode
 * of a parcel the tunnel could not read (a REKEY event from one source, or the API), and the
 * sorter's next request for that parcel id (from another source) is routed by it, with
 * DECISION flag bit 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RekeyTest {
    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;
    static Source station;
    static Source sorter;
    static Source legacy;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        hub = HubProcess.start(dir.resolve("data"));
        http = new HubHttp(hub.httpPort);
        station = Source.open(hub.scanPort, 2, 21);
        sorter = Source.open(hub.scanPort, 2, 22);
        legacy = Source.open(hub.scanPort, 1, 23);
    }

    @AfterAll
    static void stop() throws Exception {
        station.close();
        sorter.close();
        legacy.close();
        hub.close();
    }

    private static Wire.Frame noRead(String parcelId, String destination) throws Exception {
        return sorter.decide(sorter.scan(Wire.NO_READ).barcode("").destination(destination).parcelId(parcelId));
    }

    @Test
    void aRekeyEventFromOneSourceRoutesTheNoReadOfAnother() throws Exception {
        final Wire.Frame unread = noRead("TRAY-0001", TO_10);
        assertThat(unread.outlet()).isEqualTo(REJECT_OUTLET);
        assertThat(unread.reason()).isEqualTo(Wire.REASON_NO_READ);
        assertThat(unread.decisionFlags()).isZero();
        final double rekeyed = http.metricOrZero("sorthub_rekeyed_decisions_total");

        final Wire.Frame recorded = station.event(Wire.REKEY, "RK1001", 0, "TRAY-0001");
        assertThat(recorded.reason()).as("a REKEY asks for no outlet").isEqualTo(Wire.REASON_RECORDED);
        assertThat(recorded.outlet()).isZero();

        final Wire.Frame byKey = noRead("TRAY-0001", TO_10);
        assertThat(byKey.outlet()).as("routed by the keyed barcode with the SCAN's destination").isEqualTo(10);
        assertThat(byKey.reason()).isEqualTo(Wire.REASON_RULE);
        assertThat(byKey.ruleId()).isEqualTo(RULE_TO_10);
        assertThat(byKey.decisionFlags() & 1).as("DECISION flag bit 0: routed by a re-keyed barcode").isEqualTo(1);
        final Wire.Frame request = sorter.decide(sorter.scan(Wire.SORT_REQUEST).barcode("").destination(TO_10).parcelId("TRAY-0001"));
        assertThat(request.outlet()).isEqualTo(10);
        assertThat(request.decisionFlags() & 1).as("a re-key is remembered for the parcel's next requests").isEqualTo(1);

        final JsonNode trace = Ops.trace(http, "RK1001");
        assertThat(Ops.objectsWith(trace, "rekeyed")).as("events of %s", trace)
            .filteredOn(e -> e.get("rekeyed").asBoolean()).hasSize(2)
            .allSatisfy(e -> assertThat(e.path("parcelId").asText()).isEqualTo("TRAY-0001"));
        assertThat(http.metric("sorthub_rekeyed_decisions_total")).isEqualTo(rekeyed + 2);
        assertThat(http.metric("sorthub_rekeys")).isGreaterThanOrEqualTo(1);
        assertThat(HubHttp.ok(http.get("/api/rekeys/TRAY-0001")).toString()).contains("RK1001");
    }

    @Test
    void theKeyedBarcodeCanBeHeldAndOverridden() throws Exception {
        HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": \"TRAY-0002\", \"barcode\": \"RK1002\"}"));
        assertThat(HubHttp.ok(http.get("/api/rekeys/TRAY-0002")).toString()).contains("RK1002");

        HubHttp.ok(http.put("/api/holds/RK1002", "{\"reason\": \"keyed and held\"}"));
        final Wire.Frame held = noRead("TRAY-0002", TO_10);
        assertThat(held.outlet()).isEqualTo(INTERCEPT_OUTLET);
        assertThat(held.reason()).isEqualTo(Wire.REASON_INTERCEPTED);
        assertThat(held.decisionFlags() & 1).isEqualTo(1);
        HubHttp.ok(http.delete("/api/holds/RK1002"));

        HubHttp.ok(http.post("/api/overrides", "{\"barcode\": \"RK1002\", \"outlet\": 8, \"minutes\": 10}"));
        final Wire.Frame overridden = noRead("TRAY-0002", TO_10);
        assertThat(overridden.outlet()).isEqualTo(8);
        assertThat(overridden.reason()).isEqualTo(Wire.REASON_OVERRIDE);
        assertThat(overridden.decisionFlags() & 1).isEqualTo(1);
        HubHttp.ok(http.delete("/api/overrides/barcode/RK1002"));
    }

    @Test
    void aBarcodeReadAtTheSorterIsNotReplacedByTheKeyedOne() throws Exception {
        HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": \"TRAY-0003\", \"barcode\": \"RK1003\"}"));
        HubHttp.ok(http.putEmpty("/api/holds/RK1003")); // the keyed barcode would go to the intercept outlet

        final Wire.Frame d = sorter.sort("RD1003", TO_3); // a v2 SORT_REQUEST, parcel id empty
        assertThat(d.outlet()).isEqualTo(3);
        final Wire.Frame read = sorter.decide(sorter.scan(Wire.SORT_REQUEST).barcode("RD1003").destination(TO_3).parcelId("TRAY-0003"));
        assertThat(read.outlet()).as("a readable barcode routes itself").isEqualTo(3);
        assertThat(read.reason()).isEqualTo(Wire.REASON_RULE);
        assertThat(read.decisionFlags()).isZero();
        HubHttp.ok(http.delete("/api/holds/RK1003"));
    }

    @Test
    void noReadsWithoutARekeyAndVersion1NoReadsGoToReject() throws Exception {
        final Wire.Frame other = noRead("TRAY-NEVER-KEYED", TO_8);
        assertThat(other.outlet()).isEqualTo(REJECT_OUTLET);
        assertThat(other.reason()).isEqualTo(Wire.REASON_NO_READ);
        assertThat(other.decisionFlags()).isZero();
        final Wire.Frame v1 = legacy.decide(legacy.scan(Wire.NO_READ).barcode("").destination(TO_8));
        assertThat(v1.outlet()).isEqualTo(REJECT_OUTLET);
        assertThat(v1.reason()).isEqualTo(Wire.REASON_NO_READ);
    }

    @Test
    void aLaterRekeyOfTheSameParcelReplacesTheEarlier() throws Exception {
        HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": \"TRAY-0004\", \"barcode\": \"RK1004A\"}"));
        station.event(Wire.REKEY, "RK1004B", 0, "TRAY-0004");
        assertThat(HubHttp.ok(http.get("/api/rekeys/TRAY-0004")).toString()).contains("RK1004B");
        HubHttp.ok(http.putEmpty("/api/holds/RK1004B"));
        assertThat(noRead("TRAY-0004", TO_8).outlet()).isEqualTo(INTERCEPT_OUTLET);
        HubHttp.ok(http.delete("/api/holds/RK1004B"));
    }

    @Test
    void aNoReadWordIsNoReadableBarcode() throws Exception {
        HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": \"TRAY-0005\", \"barcode\": \"RK1005\"}"));
        final Wire.Frame d = sorter.decide(sorter.scan(Wire.SORT_REQUEST).barcode("NOREAD").destination(TO_10).parcelId("TRAY-0005"));
        assertThat(d.outlet()).as("SORT-PLAN.md: NOREAD is a no-read; the re-key routes it").isEqualTo(10);
        assertThat(d.decisionFlags() & 1).isEqualTo(1);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theNewest100000RekeysAreRemembered() throws Exception {
        station.event(Wire.REKEY, "RK-FIRST", 0, "TRAY-FIRST");
        final List<Wire.Scan> more = new ArrayList<>();
        for (int i = 0; i < 99_999; i++) {
            more.add(station.scan(Wire.REKEY).barcode("RKM" + i).parcelId("TM" + i));
        }
        station.stream(more);

        assertThat(http.metric("sorthub_rekeys")).isGreaterThanOrEqualTo(100_000);
        assertThat(HubHttp.ok(http.get("/api/rekeys/TRAY-FIRST")).toString()).contains("RK-FIRST");
        HubHttp.ok(http.putEmpty("/api/holds/RK-FIRST"));
        assertThat(noRead("TRAY-FIRST", TO_10).outlet()).isEqualTo(INTERCEPT_OUTLET);
        HubHttp.ok(http.delete("/api/holds/RK-FIRST"));
    }

    @Test
    void malformedRekeysAreRefusedNamingWhatWasWrong() throws Exception {
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P1\", "));
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P1\", \"barcode\": \"B1\", \"outlet\": 5}"), "outlet");
        assertBadRequest(http.post("/api/rekeys", "{\"barcode\": \"B1\"}"), "parcelId");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P1\"}"), "barcode");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": " + q(chars('P', 33)) + ", \"barcode\": \"B1\"}"), "parcelId");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P 1\", \"barcode\": \"B1\"}"), "parcelId");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P\\u00011\", \"barcode\": \"B1\"}"), "parcelId");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"\", \"barcode\": \"B1\"}"), "parcelId");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P1\", \"barcode\": " + q(chars('B', 65)) + "}"), "barcode");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P1\", \"barcode\": \"B 1\"}"), "barcode");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": \"P1\", \"barcode\": \"\"}"), "barcode");
        assertBadRequest(http.post("/api/rekeys", "{\"parcelId\": 5, \"barcode\": \"B1\"}"), "parcelId");
        assertBadRequest(http.post("/api/rekeys", "[]"));
        assertThat(http.get("/api/rekeys/P1").statusCode()).as("nothing refused was kept").isEqualTo(404);
        assertThat(http.get("/api/rekeys/NEVER-KEYED").statusCode()).isEqualTo(404);

        // the bounds themselves are fine
        HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": " + q(chars('P', 32)) + ", \"barcode\": " + q(chars('B', 64)) + "}"));
        assertThat(HubHttp.ok(http.get("/api/rekeys/" + chars('P', 32))).toString()).contains(chars('B', 64));
    }

    @Test
    void aMalformedParcelIdToReadIsA400() throws Exception {
        assertBadRequest(http.get("/api/rekeys/" + seg("P 1")), "parcel");
        assertBadRequest(http.get("/api/rekeys/" + chars('P', 33)), "parcel");
    }
}
