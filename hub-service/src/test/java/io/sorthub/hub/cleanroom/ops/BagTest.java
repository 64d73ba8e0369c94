package io.sorthub.hub.cleanroom.ops;

import static io.sorthub.hub.cleanroom.ops.Ops.TO_5;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_6;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bags (集包) and the chute view, OPERATIONS.md: BAG_TAG and BAG_SEALED events from a version 2
 * sorter and the API open and seal a chute's bag; every parcel confirmed diverted into the
 * chute while a bag is open belongs to it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BagTest {
    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;
    static Source sorter;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        hub = HubProcess.start(dir.resolve("data"));
        http = new HubHttp(hub.httpPort);
        sorter = Source.open(hub.scanPort, 2, 41);
    }

    @AfterAll
    static void stop() throws Exception {
        sorter.close();
        hub.close();
    }

    /** A parcel decided for the chute and confirmed diverted into it. */
    private static void sortedInto(String barcode, String destination, int outlet) throws Exception {
        assertThat(sorter.sort(barcode, destination).outlet()).isEqualTo(outlet);
        final Wire.Frame d = sorter.event(Wire.CONFIRM_DIVERTED, barcode, outlet, "");
        assertThat(d.reason()).isEqualTo(Wire.REASON_RECORDED);
        assertThat(d.outlet()).isZero();
    }

    private static String bag(String id) throws Exception {
        return HubHttp.ok(http.get("/api/bags/" + seg(id))).toString();
    }

    @Test
    void bagEventsOpenAndSealTheChutesBag() throws Exception {
        final double open = http.metricOrZero("sorthub_bags_open");
        final Wire.Frame tag = sorter.event(Wire.BAG_TAG, "BAG-E1", 5, "");
        assertThat(tag.reason()).as("a BAG_TAG asks for no outlet").isEqualTo(Wire.REASON_RECORDED);
        assertThat(tag.outlet()).isZero();
        assertThat(http.metric("sorthub_bags_open")).isEqualTo(open + 1);
        sortedInto("BG-P1", TO_5, 5);

        assertThat(bag("BAG-E1")).contains("BG-P1");
        final JsonNode trace = Ops.trace(http, "BG-P1");
        assertThat(Ops.objectsWith(trace, "bag")).as("events of %s", trace)
            .anySatisfy(e -> assertThat(e.get("bag").asText()).isEqualTo("BAG-E1"));

        sorter.event(Wire.BAG_TAG, "BAG-E2", 5, ""); // seals BAG-E1, opens BAG-E2
        assertThat(http.metric("sorthub_bags_open")).as("one open bag a chute").isEqualTo(open + 1);
        sortedInto("BG-P2", TO_5, 5);
        assertThat(bag("BAG-E2")).contains("BG-P2");
        assertThat(bag("BAG-E1")).contains("BG-P1").doesNotContain("BG-P2");

        sorter.event(Wire.BAG_SEALED, "BAG-E2", 5, "");
        assertThat(http.metric("sorthub_bags_open")).isEqualTo(open);
        sortedInto("BG-P3", TO_5, 5);
        assertThat(bag("BAG-E2")).doesNotContain("BG-P3");
        assertThat(Ops.objectsWith(Ops.trace(http, "BG-P3"), "bag"))
            .allSatisfy(e -> assertThat(e.get("bag").isNull() || e.get("bag").asText().isEmpty()).isTrue());

        sorter.event(Wire.BAG_TAG, "BAG-E3", 5, "");
        sortedInto("BG-P4", TO_5, 5);
        sorter.event(Wire.BAG_SEALED, "", 5, ""); // empty: whichever is open
        sortedInto("BG-P5", TO_5, 5);
        assertThat(bag("BAG-E3")).contains("BG-P4").doesNotContain("BG-P5");
        assertThat(http.metric("sorthub_bags_open")).isEqualTo(open);
    }

    @Test
    void bagsByTheApi() throws Exception {
        HubHttp.ok(http.put("/api/outlets/6/bag", "{\"bagId\": \"BAG-A1\"}"));
        sortedInto("BG-A1", TO_6, 6);
        assertThat(bag("BAG-A1")).contains("BG-A1");
        assertThat(http.get("/api/outlets/6/parcels?minutes=15").body()).contains("BG-A1").contains("BAG-A1");

        HubHttp.ok(http.put("/api/outlets/6/bag", "{\"bagId\": \"BAG-A2\"}")); // seals BAG-A1
        sortedInto("BG-A2", TO_6, 6);
        HubHttp.ok(http.post("/api/outlets/6/bag/seal"));
        sortedInto("BG-A3", TO_6, 6);
        assertThat(bag("BAG-A1")).contains("BG-A1").doesNotContain("BG-A2");
        assertThat(bag("BAG-A2")).contains("BG-A2").doesNotContain("BG-A3");
    }

    @Test
    void aBagIdIsUsedOnce() throws Exception {
        HubHttp.ok(http.put("/api/outlets/7/bag", "{\"bagId\": \"BAG-ONCE\"}"));
        HubHttp.ok(http.post("/api/outlets/7/bag/seal"));

        assertThat(http.put("/api/outlets/7/bag", "{\"bagId\": \"BAG-ONCE\"}").statusCode()).isBetween(400, 499);
        assertThat(http.put("/api/outlets/8/bag", "{\"bagId\": \"BAG-ONCE\"}").statusCode()).isBetween(400, 499);
        sorter.event(Wire.BAG_TAG, "BAG-EV-ONCE", 7, "");
        sorter.event(Wire.BAG_SEALED, "", 7, "");
        assertThat(http.put("/api/outlets/7/bag", "{\"bagId\": \"BAG-EV-ONCE\"}").statusCode())
            .as("an id a BAG_TAG used").isBetween(400, 499);
    }

    @Test
    void theChuteViewListsTheChutesParcelsNewestFirst() throws Exception {
        final Instant start = Instant.now();
        for (String p : List.of("CV-1", "CV-2", "CV-3")) {
            assertThat(sorter.sort(p, TO_8).outlet()).isEqualTo(8);
        }
        sorter.durable();

        final String all = http.get("/api/outlets/8/parcels?minutes=15").body();
        assertThat(all.indexOf("CV-3")).as("newest first: %s", all).isNotNegative().isLessThan(all.indexOf("CV-2"));
        assertThat(all.indexOf("CV-2")).isLessThan(all.indexOf("CV-1"));
        assertThat(http.get("/api/outlets/8/parcels").body()).contains("CV-1");
        final String two = HubHttp.ok(http.get("/api/outlets/8/parcels?limit=2")).toString();
        assertThat(two).contains("CV-3").contains("CV-2").doesNotContain("CV-1");
        assertThat(HubHttp.ok(http.get("/api/outlets/8/parcels?since=" + start.minusSeconds(1))).toString()).contains("CV-1");
        assertThat(HubHttp.ok(http.get("/api/outlets/8/parcels?since=" + Instant.now().plus(Duration.ofMinutes(1)))).toString())
            .doesNotContain("CV-");
        assertThat(HubHttp.ok(http.get("/api/outlets/7/parcels?minutes=15")).toString()).doesNotContain("CV-");
    }

    @Test
    void malformedBagRequestsAreRefusedNamingWhatWasWrong() throws Exception {
        assertBadRequest(http.put("/api/outlets/6/bag", "{\"bagId\": "));
        assertBadRequest(http.put("/api/outlets/6/bag", "[]"));
        assertBadRequest(http.put("/api/outlets/6/bag", "{\"bagId\": \"BAG-M1\", \"colour\": \"red\"}"), "colour");
        assertBadRequest(http.put("/api/outlets/6/bag", "{\"bagId\": 5}"), "bagId");
        assertBadRequest(http.put("/api/outlets/6/bag", "{}"), "bagId");
        assertBadRequest(http.put("/api/outlets/6/bag", "{\"bagId\": \"BAG M1\"}"), "bag");
        assertBadRequest(http.put("/api/outlets/6/bag", "{\"bagId\": \"BAG\\u0001M1\"}"), "bag");
        assertBadRequest(http.put("/api/outlets/6/bag", "{\"bagId\": " + q(chars('G', 65)) + "}"), "bag");
        assertBadRequest(http.put("/api/outlets/abc/bag", "{\"bagId\": \"BAG-M2\"}"), "outlet");
        // an outlet the plan does not have: OPERATIONS.md names no status for it; refused, naming it
        assertNotInPlan(http.put("/api/outlets/555/bag", "{\"bagId\": \"BAG-M3\"}"));
        assertNotInPlan(http.post("/api/outlets/555/bag/seal"));
        assertNotInPlan(http.get("/api/outlets/555/parcels"));
        assertBadRequest(http.get("/api/outlets/8/parcels?minutes=abc"), "minutes");
        assertBadRequest(http.get("/api/outlets/8/parcels?minutes=-1"), "minutes");
        assertBadRequest(http.get("/api/outlets/8/parcels?limit=10001"), "limit");
        assertBadRequest(http.get("/api/outlets/8/parcels?limit=abc"), "limit");
        assertBadRequest(http.get("/api/outlets/8/parcels?since=yesterday"), "since");
        assertBadRequest(http.get("/api/outlets/abc/parcels"), "outlet");
        assertThat(http.get("/api/bags/NEVER-TAGGED").statusCode()).isEqualTo(404);
        for (String id : List.of("BAG-M1", "BAG-M2", "BAG-M3")) {
            assertThat(http.get("/api/bags/" + id).statusCode()).as("nothing refused was kept: %s", id).isEqualTo(404);
        }
        HubHttp.ok(http.get("/api/outlets/8/parcels?limit=10000"));

        // the bound itself is fine
        HubHttp.ok(http.put("/api/outlets/12/bag", "{\"bagId\": " + q(chars('G', 64)) + "}"));
        HubHttp.ok(http.post("/api/outlets/12/bag/seal"));
    }

    private static void assertNotInPlan(java.net.http.HttpResponse<String> r) {
        assertThat(r.statusCode()).as("%s %s: %s", r.request().method(), r.request().uri(), r.body()).isIn(400, 404);
        assertThat(r.body()).contains("555").doesNotContain("Exception");
    }

    @Test
    void aMalformedBagIdToReadIsA400() throws Exception {
        assertBadRequest(http.get("/api/bags/" + seg("BAG X")), "bag");
        assertBadRequest(http.get("/api/bags/" + chars('G', 65)), "bag");
    }

    @Test
    void journalExportWritesTheBagManifests() throws Exception {
        sorter.event(Wire.BAG_TAG, "BAG-MANIFEST", 3, "");
        sortedInto("BG-M1", Ops.TO_3, 3);
        sorter.event(Wire.BAG_SEALED, "BAG-MANIFEST", 3, "");

        final HubProcess.Result r = HubProcess.run(Duration.ofSeconds(60), "journal", "export", "--bags", "--data-dir",
            dir.resolve("data").toString());

        assertThat(r.status()).as("journal export --bags: %s", r.stderr()).isZero();
        assertThat(r.stdout()).contains("BAG-MANIFEST").contains("BG-M1");
    }
}
