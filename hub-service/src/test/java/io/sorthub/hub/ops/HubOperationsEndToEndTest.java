package io.sorthub.hub.ops;

import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's exceptions end to end, over real sockets: version 1 and version 2 sources side
 * by side against one hub, the HTTP API changing the hold list, overrides, re-keys and bags,
 * and the trace, the metrics and the chute view showing what happened.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HubOperationsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Demo plan: destination 518057 goes to outlet 5 (rule 50); the intercept outlet is 96, reject 99. */
    private static final String SHENZHEN = "518057";

    @TempDir
    Path dir;
    private HubService hub;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        final HubConfig config = TestHub.config(dir);
        config.confirmTimeoutMs = 1_000;
        hub = HubService.start(config);
        http = new Http(hub.httpPort());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void aHeldParcelGoesToTheInterceptOutletAndAVersion1SourceHearsRule() throws Exception {
        assertThat(http.put("/api/holds/SF1001", "{\"reason\": \"recalled by customer\"}").statusCode()).isEqualTo(200);
        try (V2Source v1 = new V2Source(hub.scanPort(), 1, 1); V2Source v2 = new V2Source(hub.scanPort(), 2, 2)) {
            final V2Source.Reply old = v1.decision(v1.send(EventKind.SORT_REQUEST, "SF1001", SHENZHEN, 0, ""));
            final V2Source.Reply now = v2.decision(v2.send(EventKind.SORT_REQUEST, "SF1001", SHENZHEN, 0, "T-7"));
            final V2Source.Reply free = v2.decision(v2.send(EventKind.SORT_REQUEST, "SF1002", SHENZHEN, 0, "T-8"));
            assertThat(now.outlet()).isEqualTo(96);
            assertThat(now.reason()).isEqualTo(DecisionReason.INTERCEPTED);
            assertThat(now.version()).isEqualTo(2);
            // Version 1 has no code for an interception: the same outlet, told as a rule's.
            assertThat(old.outlet()).isEqualTo(96);
            assertThat(old.reason()).isEqualTo(DecisionReason.RULE);
            assertThat(old.version()).isEqualTo(1);
            assertThat(free.outlet()).isEqualTo(5);
            assertThat(free.reason()).isEqualTo(DecisionReason.RULE);
        }
        final JsonObject trace = http.json(http.get("/api/parcels/SF1001"));
        assertThat(trace.getJsonObject("onHold").getString("reason")).isEqualTo("recalled by customer");
        final JsonArray events = trace.getJsonArray("events");
        assertThat(events).hasSize(2);
        assertThat(events.getJsonObject(1).getString("reason")).isEqualTo("intercepted");
        assertThat(events.getJsonObject(1).getString("holdReason")).isEqualTo("recalled by customer");
        assertThat(events.getJsonObject(1).getString("parcelId")).isEqualTo("T-7");
        assertThat(http.metric("sorthub_interceptions_total")).isEqualTo(2.0);
        assertThat(http.metric("sorthub_holds")).isEqualTo(1.0);

        assertThat(http.delete("/api/holds/SF1001").statusCode()).isEqualTo(200);
        assertThat(http.delete("/api/holds/SF1001").statusCode()).isEqualTo(404);
        try (V2Source v2 = new V2Source(hub.scanPort(), 3, 2)) {
            assertThat(v2.decision(v2.send(EventKind.SORT_REQUEST, "SF1001", SHENZHEN, 0, "T-7")).outlet()).isEqualTo(5);
        }
    }

    @Test
    void aBulkLoadReplacesTheListAndIsListed() throws Exception {
        final StringBuilder body = new StringBuilder("# recalled today\n");
        for (int i = 0; i < 5_000; i++) {
            body.append("BULK").append(i).append(i % 2 == 0 ? "\tcustoms\n" : ",address wrong\n");
        }
        var loaded = http.post("/api/holds", body.toString());
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        assertThat(http.json(loaded).getInteger("holds")).isEqualTo(5_000);
        loaded = http.post("/api/holds?replace=true", "NEW1\nNEW2 \n");
        assertThat(http.json(loaded).getInteger("holds")).isEqualTo(2);
        final JsonObject list = http.json(http.get("/api/holds?limit=10"));
        assertThat(list.getInteger("count")).isEqualTo(2);
        assertThat(list.getJsonArray("holds").stream().map(h -> ((JsonObject) h).getString("barcode")))
            .containsExactlyInAnyOrder("NEW1", "NEW2");
        assertThat(http.get("/api/holds/BULK7").statusCode()).isEqualTo(404);
        assertThat(http.json(http.get("/api/holds/NEW2")).getString("reason")).isEmpty();
    }

    @Test
    void aReKeyedNoReadIsRoutedByItsKeyedBarcodeOnItsNextSortRequest() throws Exception {
        try (V2Source sorter = new V2Source(hub.scanPort(), 10, 2); V2Source station = new V2Source(hub.scanPort(), 11, 2)) {
            final V2Source.Reply unread = sorter.decision(sorter.send(EventKind.NO_READ, "", "", 0, "TRAY-0042"));
            assertThat(unread.outlet()).isEqualTo(99);
            // The video-coding station keys the barcode for the tray; the parcel comes round again.
            station.awaitAck(station.send(EventKind.REKEY, "SF2002", "", 0, "TRAY-0042"));
            Await.until(WAIT, () -> hub.metrics() != null && rekeys() == 1, () -> "re-key not in force");
            final V2Source.Reply again = sorter.decision(sorter.send(EventKind.NO_READ, "", "", 0, "TRAY-0042"));
            assertThat(again.reason()).isEqualTo(DecisionReason.DEFAULT); // no destination keyed: the default outlet
            assertThat(again.outlet()).isEqualTo(98);
            assertThat(again.flags() & DecisionFlyweight.FLAG_REKEYED).isEqualTo(DecisionFlyweight.FLAG_REKEYED);
            // By the API, with a destination read off the label by the sorter's next request.
            assertThat(http.post("/api/rekeys", "{\"parcelId\": \"TRAY-0043\", \"barcode\": \"SF2003\"}").statusCode())
                .isEqualTo(200);
            assertThat(http.json(http.get("/api/rekeys/TRAY-0043")).getString("barcode")).isEqualTo("SF2003");
            final V2Source.Reply keyed = sorter.decision(sorter.send(EventKind.SORT_REQUEST, "", SHENZHEN, 0, "TRAY-0043"));
            assertThat(keyed.outlet()).isEqualTo(5);
            assertThat(keyed.flags()).isEqualTo(DecisionFlyweight.FLAG_REKEYED);
            // A parcel that was read is routed by what was read, re-key or not.
            final V2Source.Reply read = sorter.decision(sorter.send(EventKind.SORT_REQUEST, "SF9", "200001", 0, "TRAY-0043"));
            assertThat(read.outlet()).isEqualTo(3);
            assertThat(read.flags()).isZero();
            sorter.awaitAck(4);
        }
        final JsonArray events = http.json(http.get("/api/parcels/SF2003")).getJsonArray("events");
        assertThat(events).hasSize(1);
        assertThat(events.getJsonObject(0).getBoolean("rekeyed")).isTrue();
        assertThat(events.getJsonObject(0).getString("parcelId")).isEqualTo("TRAY-0043");
        final JsonArray keyedByStation = http.json(http.get("/api/parcels/SF2002")).getJsonArray("events");
        assertThat(keyedByStation.stream().map(e -> ((JsonObject) e).getString("kind"))).containsExactly("rekey", "no_read");
        assertThat(http.metric("sorthub_rekeyed_decisions_total")).isEqualTo(2.0);
    }

    private long rekeys() {
        try {
            return (long) http.metric("sorthub_rekeys");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOverrideSendsAParcelOrADestinationElsewhereUntilCancelled() throws Exception {
        assertThat(http.post("/api/overrides", "{\"destination\": \"" + SHENZHEN + "\", \"outlet\": 6, \"minutes\": 30}")
            .statusCode()).isEqualTo(200);
        assertThat(http.post("/api/overrides", "{\"barcode\": \"SF3001\", \"outlet\": 7, \"until\": \""
            + java.time.Instant.now().plusSeconds(600) + "\"}").statusCode()).isEqualTo(200);
        try (V2Source v2 = new V2Source(hub.scanPort(), 20, 2); V2Source v1 = new V2Source(hub.scanPort(), 21, 1)) {
            final V2Source.Reply byDestination = v2.decision(v2.send(EventKind.SORT_REQUEST, "SF3000", SHENZHEN, 0, ""));
            final V2Source.Reply byBarcode = v2.decision(v2.send(EventKind.SORT_REQUEST, "SF3001", SHENZHEN, 0, ""));
            final V2Source.Reply old = v1.decision(v1.send(EventKind.SORT_REQUEST, "SF3002", SHENZHEN, 0, ""));
            assertThat(byDestination.outlet()).isEqualTo(6);
            assertThat(byDestination.reason()).isEqualTo(DecisionReason.OVERRIDE);
            assertThat(byBarcode.outlet()).as("a parcel's override wins over its destination's").isEqualTo(7);
            assertThat(old.outlet()).isEqualTo(6);
            assertThat(old.reason()).isEqualTo(DecisionReason.RULE);
            // A disabled outlet is not overridden into: the plan decides.
            assertThat(http.put("/api/outlets/6", "{\"status\": \"disabled\"}").statusCode()).isEqualTo(200);
            assertThat(v2.decision(v2.send(EventKind.SORT_REQUEST, "SF3003", SHENZHEN, 0, "")).outlet()).isEqualTo(5);
            assertThat(http.put("/api/outlets/6", "{\"status\": \"available\"}").statusCode()).isEqualTo(200);
            final JsonArray list = new JsonArray(http.get("/api/overrides").body());
            assertThat(list).hasSize(2);
            assertThat(http.delete("/api/overrides/destination/" + SHENZHEN).statusCode()).isEqualTo(200);
            assertThat(http.delete("/api/overrides/destination/" + SHENZHEN).statusCode()).isEqualTo(404);
            assertThat(v2.decision(v2.send(EventKind.SORT_REQUEST, "SF3004", SHENZHEN, 0, "")).outlet()).isEqualTo(5);
        }
        assertThat(http.metric("sorthub_overrides_applied_total")).isEqualTo(3.0);
        assertThat(http.metric("sorthub_overrides")).isEqualTo(1.0);
    }

    @Test
    void bagsCollectTheParcelsConfirmedIntoTheirChute() throws Exception {
        try (V2Source chute = new V2Source(hub.scanPort(), 30, 2); V2Source sorter = new V2Source(hub.scanPort(), 31, 1)) {
            chute.awaitAck(chute.send(EventKind.BAG_TAG, "BAG-A", "", 5, ""));
            sorter.send(EventKind.SORT_REQUEST, "SF4001", SHENZHEN, 0, "");
            sorter.send(EventKind.CONFIRM_DIVERTED, "SF4001", SHENZHEN, 5, "");
            sorter.send(EventKind.CONFIRM_DIVERTED, "SF4002", SHENZHEN, 5, "");
            sorter.send(EventKind.CONFIRM_DIVERTED, "SF4003", "200001", 3, ""); // another chute
            sorter.awaitAck(4);
            // The operator closes BAG-A by opening the next one.
            final var opened = http.put("/api/outlets/5/bag", "{\"bagId\": \"BAG-B\"}");
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
            assertThat(http.json(opened).getJsonObject("sealed").getString("bagId")).isEqualTo("BAG-A");
            sorter.send(EventKind.CONFIRM_DIVERTED, "SF4004", SHENZHEN, 5, "");
            sorter.awaitAck(5);
            chute.awaitAck(chute.send(EventKind.BAG_SEALED, "", "", 5, ""));
        }
        final JsonObject a = http.json(http.get("/api/bags/BAG-A"));
        assertThat(a.getInteger("outlet")).isEqualTo(5);
        assertThat(a.getString("sealedAt")).isNotNull();
        assertThat(a.getJsonArray("parcels").stream().map(p -> ((JsonObject) p).getString("barcode")))
            .containsExactly("SF4001", "SF4002");
        final JsonObject b = http.json(http.get("/api/bags/BAG-B"));
        assertThat(b.getJsonArray("parcels").stream().map(p -> ((JsonObject) p).getString("barcode"))).containsExactly("SF4004");
        assertThat(b.getString("sealedAt")).isNotNull();
        assertThat(http.post("/api/outlets/5/bag/seal", "").statusCode()).as("nothing open any more").isEqualTo(404);
        final JsonArray events = http.json(http.get("/api/parcels/SF4001")).getJsonArray("events");
        assertThat(events.getJsonObject(1).getString("bag")).isEqualTo("BAG-A");
        final JsonObject view = http.json(http.get("/api/outlets/5/parcels?minutes=10"));
        assertThat(view.getJsonArray("parcels").stream().map(p -> ((JsonObject) p).getString("barcode") + " "
            + ((JsonObject) p).getString("event")))
            .containsExactly("SF4004 confirmed", "SF4002 confirmed", "SF4001 confirmed", "SF4001 decided");
        assertThat(http.put("/api/outlets/5/bag", "{\"bagId\": \"BAG-A\"}").statusCode()).as("a bag id is used once")
            .isEqualTo(400);
    }

    @Test
    void aDecisionTheSorterNeverConfirmsIsUnconfirmedAndOneItLostIsLost() throws Exception {
        try (V2Source sorter = new V2Source(hub.scanPort(), 40, 2)) {
            sorter.send(EventKind.SORT_REQUEST, "SF5001", SHENZHEN, 0, "T1");
            sorter.send(EventKind.SORT_REQUEST, "SF5002", SHENZHEN, 0, "T2");
            sorter.send(EventKind.SORT_REQUEST, "SF5003", SHENZHEN, 0, "T3");
            sorter.send(EventKind.SORT_REQUEST, "SF5004", "200001", 0, "T4");
            sorter.send(EventKind.CONFIRM_DIVERTED, "SF5001", SHENZHEN, 5, "T1");
            sorter.send(EventKind.CONFIRM_LOST, "SF5002", "", 0, "T2");
            sorter.send(EventKind.CONFIRM_RECIRCULATED, "", "", 0, "T4"); // confirmed by its tray, no barcode read
            sorter.awaitAck(7);
        }
        assertThat(http.metric("sorthub_parcels_lost_total{outlet=\"5\"}")).isEqualTo(1.0);
        Await.until(WAIT, () -> unconfirmed("5") == 1.0, () -> "SF5003 not counted unconfirmed");
        assertThat(unconfirmed("3")).isZero();
        assertThat(http.json(http.get("/api/parcels/SF5003")).getString("status")).isEqualTo("unconfirmed");
        assertThat(http.json(http.get("/api/parcels/SF5002")).getString("status")).isEqualTo("lost");
        assertThat(http.json(http.get("/api/parcels/SF5001")).getString("status")).isEqualTo("confirmed");
        assertThat(http.metric("sorthub_parcels_awaiting_confirmation")).isZero();
    }

    private double unconfirmed(String outlet) {
        try {
            return http.metric("sorthub_parcels_unconfirmed_total{outlet=\"" + outlet + "\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSessionSpeaksItsHellosVersionOnly() throws Exception {
        try (V2Source v2 = new V2Source(hub.scanPort(), 50, 2); V2Source v1 = new V2Source(hub.scanPort(), 51, 1)) {
            v2.awaitAck(v2.send(EventKind.SORT_REQUEST, "SF6001", SHENZHEN, 0, ""));
            // A version 1 SCAN on the version 2 session.
            final io.sorthub.protocol.ScanFlyweight scan = v2.client.scan();
            scan.version(1);
            scan.sequence(2).deviceTimeMs(1).kind(EventKind.SORT_REQUEST).strings("T1", "SF6002", SHENZHEN, "C1");
            v2.client.sendScan();
            v2.client.flush();
            Await.until(WAIT, () -> v2.error.get() != null, () -> "no ERROR");
            assertThat(v2.error.get()).startsWith("PROTOCOL_VIOLATION").contains("version 1 in a version 2 session");
            // A version 2 event kind on a version 1 session.
            v1.send(EventKind.REKEY, "SF6003", "", 0, "");
            Await.until(WAIT, () -> v1.error.get() != null, () -> "no ERROR");
            assertThat(v1.error.get()).startsWith("INVALID_FIELD").contains("SCAN event kind");
        }
    }
}
