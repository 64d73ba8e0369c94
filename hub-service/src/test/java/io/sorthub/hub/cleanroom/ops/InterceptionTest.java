package io.sorthub.hub.cleanroom.ops;

import static io.sorthub.hub.cleanroom.ops.Ops.INTERCEPT_OUTLET;
import static io.sorthub.hub.cleanroom.ops.Ops.RULE_TO_10;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_10;
import static io.sorthub.hub.cleanroom.ops.Ops.assertBadRequest;
import static io.sorthub.hub.cleanroom.ops.Ops.chars;
import static io.sorthub.hub.cleanroom.ops.Ops.q;
import static io.sorthub.hub.cleanroom.ops.Ops.seg;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sorthub.hub.cleanroom.HubHttp;
import io.sorthub.hub.cleanroom.HubProcess;
import io.sorthub.hub.cleanroom.Wire;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interception (拦截件), OPERATIONS.md "Interceptions, re-keys, overrides, bags": the hold list
 * by API, one barcode and in bulk, and what version 1 and version 2 sources hear about a held
 * parcel (PROTOCOL.md: reason INTERCEPTED, or RULE with the same outlet for version 1).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterceptionTest {
    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;
    static Source v1;
    static Source v2;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void start() throws Exception {
        hub = HubProcess.start(dir.resolve("data"));
        http = new HubHttp(hub.httpPort);
        v1 = Source.open(hub.scanPort, 1, 11);
        v2 = Source.open(hub.scanPort, 2, 12);
    }

    @AfterAll
    static void stop() throws Exception {
        v1.close();
        v2.close();
        hub.close();
    }

    @Test
    void aHeldBarcodeGoesToTheInterceptOutletAndVersion1HearsRule() throws Exception {
        final Wire.Frame before = v2.sort("HOLD-A1", TO_10);
        assertThat(before.outlet()).isEqualTo(10);
        assertThat(before.reason()).isEqualTo(Wire.REASON_RULE);
        final double intercepted = http.metricOrZero("sorthub_interceptions_total");

        HubHttp.ok(http.put("/api/holds/HOLD-A1", "{\"reason\": \"customs check\"}"));

        final Wire.Frame d2 = v2.sort("HOLD-A1", TO_10);
        assertThat(d2.outlet()).isEqualTo(INTERCEPT_OUTLET);
        assertThat(d2.reason()).isEqualTo(Wire.REASON_INTERCEPTED);
        assertThat(d2.ruleId()).as("SORT-PLAN.md: INTERCEPTED, rule 0").isZero();
        assertThat(d2.decisionFlags()).isZero();
        assertThat(d2.version()).isEqualTo(2);
        final Wire.Frame d1 = v1.sort("HOLD-A1", TO_10);
        assertThat(d1.outlet()).isEqualTo(INTERCEPT_OUTLET);
        assertThat(d1.reason()).as("a version 1 session is never sent 10 or 11").isEqualTo(Wire.REASON_RULE);
        assertThat(d1.version()).isEqualTo(1);

        final JsonNode hold = HubHttp.ok(http.get("/api/holds/HOLD-A1"));
        assertThat(hold.toString()).contains("customs check");

        final JsonNode trace = Ops.trace(http, "HOLD-A1");
        assertThat(truthy(trace.path("onHold"))).as("trace while on hold: %s", trace).isTrue();
        assertThat(Ops.objectsWith(trace, "holdReason")).as("events with holdReason in %s", trace)
            .anySatisfy(e -> assertThat(e.get("holdReason").asText()).isEqualTo("customs check"));

        assertThat(http.metric("sorthub_interceptions_total")).isEqualTo(intercepted + 2);
        final long count = HubHttp.ok(http.get("/api/holds")).path("count").asLong(-1);
        assertThat(http.metric("sorthub_holds")).isEqualTo(count);
    }

    @Test
    void theHoldWinsWhateverTheInterceptOutletsState() throws Exception {
        HubHttp.ok(http.putEmpty("/api/holds/HOLD-S1"));
        HubHttp.ok(http.put("/api/outlets/" + INTERCEPT_OUTLET, "{\"status\": \"disabled\"}"));
        try {
            final Wire.Frame d = v2.sort("HOLD-S1", TO_10);
            assertThat(d.outlet()).isEqualTo(INTERCEPT_OUTLET);
            assertThat(d.reason()).isEqualTo(Wire.REASON_INTERCEPTED);
        } finally {
            HubHttp.ok(http.put("/api/outlets/" + INTERCEPT_OUTLET, "{\"status\": \"available\"}"));
        }
    }

    @Test
    void releaseRestoresThePlan() throws Exception {
        HubHttp.ok(http.put("/api/holds/HOLD-R1", "{\"reason\": \"address check\"}"));
        assertThat(v2.sort("HOLD-R1", TO_10).outlet()).isEqualTo(INTERCEPT_OUTLET);

        HubHttp.ok(http.delete("/api/holds/HOLD-R1"));

        assertThat(http.get("/api/holds/HOLD-R1").statusCode()).isEqualTo(404);
        final Wire.Frame d = v2.sort("HOLD-R1", TO_10);
        assertThat(d.outlet()).isEqualTo(10);
        assertThat(d.reason()).isEqualTo(Wire.REASON_RULE);
        assertThat(d.ruleId()).isEqualTo(RULE_TO_10);
        assertThat(truthy(Ops.trace(http, "HOLD-R1").path("onHold"))).isFalse();
        assertThat(http.delete("/api/holds/HOLD-R1").statusCode()).as("releasing what is not held").isEqualTo(404);
    }

    @Test
    void bulkLoadTakesTabsCommasAndComments() throws Exception {
        final long before = HubHttp.ok(http.get("/api/holds")).path("count").asLong(-1);
        final String text = "# the customs list of the day\n"
            + "BULK-1\tcustoms\n"
            + "BULK-2,address unknown\n"
            + "BULK-3\n";
        HubHttp.ok(http.post("/api/holds", text));

        assertThat(HubHttp.ok(http.get("/api/holds/BULK-1")).toString()).contains("customs");
        assertThat(HubHttp.ok(http.get("/api/holds/BULK-2")).toString()).contains("address unknown");
        HubHttp.ok(http.get("/api/holds/BULK-3"));
        assertThat(HubHttp.ok(http.get("/api/holds")).path("count").asLong()).as("three barcodes, the comment is none").isEqualTo(before + 3);
        final Wire.Frame d = v1.sort("BULK-2", TO_10);
        assertThat(d.outlet()).isEqualTo(INTERCEPT_OUTLET);
        assertThat(Ops.objectsWith(Ops.trace(http, "BULK-2"), "holdReason"))
            .anySatisfy(e -> assertThat(e.get("holdReason").asText()).isEqualTo("address unknown"));
    }

    @Test
    void oneBadLineRefusesTheWholeLoadNamingTheFirst20() throws Exception {
        final long before = HubHttp.ok(http.get("/api/holds")).path("count").asLong(-1);
        final StringBuilder text = new StringBuilder("BAD-OK-1\tfine\n");
        final List<Integer> badLines = new ArrayList<>();
        final String[] bad = {
            "BAD 2\twith a space",                  // space in the barcode
            "BAD\u00013\tcontrol byte",             // control byte in the barcode
            chars('L', 65) + "\ttoo long",          // 65 characters
            "BAD-5\t" + chars('r', 65),             // reason over 64
            "BAD-6,reason with a \u0007 bell",      // reason not printable
        };
        for (int i = 0; i < 25; i++) {
            text.append(bad[i % bad.length]).append('\n');
            badLines.add(i + 2);
        }
        text.append("BAD-OK-27\n");

        final HttpResponse<String> r = http.post("/api/holds", text.toString());

        assertBadRequest(r);
        final JsonNode errors = HubHttp.json(r).path("errors");
        assertThat(errors.isArray()).as("`errors` in %s", r.body()).isTrue();
        final List<Integer> lines = new ArrayList<>();
        for (JsonNode e : errors) {
            lines.add(lineOf(e));
        }
        assertThat(lines).as("the first 20 bad lines, by number").isEqualTo(badLines.subList(0, 20));
        assertThat(http.get("/api/holds/BAD-OK-1").statusCode()).as("nothing of a refused load is held").isEqualTo(404);
        assertThat(http.get("/api/holds/BAD-OK-27").statusCode()).isEqualTo(404);
        assertThat(HubHttp.ok(http.get("/api/holds")).path("count").asLong(-1)).isEqualTo(before);
    }

    @Test
    void replaceClearsTheListAndTheListPages() throws Exception {
        HubHttp.ok(http.putEmpty("/api/holds/PAGE-OLD"));
        final StringBuilder text = new StringBuilder();
        final Set<String> loaded = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            text.append("PAGE-").append(i).append(",reason ").append(i).append('\n');
            loaded.add("PAGE-" + i);
        }

        HubHttp.ok(http.post("/api/holds?replace=true", text.toString()));

        assertThat(http.get("/api/holds/PAGE-OLD").statusCode()).isEqualTo(404);
        final JsonNode first = HubHttp.ok(http.get("/api/holds"));
        assertThat(first.path("count").asLong()).isEqualTo(150);
        assertThat(barcodesOfPage(first)).as("a page is 100 by default").hasSize(100);
        assertThat(http.metric("sorthub_holds")).isEqualTo(150);
        final Set<String> seen = new HashSet<>();
        for (int offset = 0; offset < 150; offset += 60) {
            final List<String> page = barcodesOfPage(HubHttp.ok(http.get("/api/holds?offset=" + offset + "&limit=60")));
            assertThat(page).hasSize(Math.min(60, 150 - offset));
            seen.addAll(page);
        }
        assertThat(seen).isEqualTo(loaded);
        assertThat(barcodesOfPage(HubHttp.ok(http.get("/api/holds?offset=150&limit=10")))).isEmpty();
    }

    @Test
    void aBulkLoadIsNotHeldToTheJsonBodyLimit() throws Exception {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append(String.format("BIG-%06d\tcustoms\n", i));
        }
        assertThat(text.length()).as("well over SECURITY.md's 64 KiB for JSON").isGreaterThan(1_000_000);

        HubHttp.ok(http.post("/api/holds?replace=true", text.toString()));

        assertThat(HubHttp.ok(http.get("/api/holds")).path("count").asLong()).isEqualTo(100_000);
        assertThat(HubHttp.ok(http.get("/api/holds/BIG-099999")).toString()).contains("customs");
        assertThat(v2.sort("BIG-054321", TO_10).outlet()).isEqualTo(INTERCEPT_OUTLET);
    }

    @Test
    void malformedHoldsAreRefusedNamingWhatWasWrong() throws Exception {
        final long before = HubHttp.ok(http.get("/api/holds")).path("count").asLong(-1);

        assertBadRequest(http.put("/api/holds/" + seg("BAD CODE"), "{}"), "barcode");
        assertBadRequest(http.put("/api/holds/" + seg("BAD\u0001"), "{}"), "barcode");
        assertBadRequest(http.put("/api/holds/" + seg("BAD\u007F"), "{}"), "barcode");
        assertBadRequest(http.put("/api/holds/" + chars('B', 65), "{}"), "barcode");
        assertBadRequest(http.put("/api/holds/" + seg("条码"), "{}"), "barcode");
        assertBadRequest(http.put("/api/holds/MAL-1", "{\"reason\": " + q(chars('r', 65)) + "}"), "reason");
        assertBadRequest(http.put("/api/holds/MAL-1", "{\"reason\": \"tab\\there\"}"), "reason");
        assertBadRequest(http.put("/api/holds/MAL-1", "{\"reason\": "));
        assertBadRequest(http.put("/api/holds/MAL-1", "{\"reason\": \"x\", \"colour\": \"red\"}"), "colour");
        assertBadRequest(http.put("/api/holds/MAL-1", "{\"reason\": 5}"), "reason");
        assertBadRequest(http.put("/api/holds/MAL-1", "[\"reason\"]"));
        assertBadRequest(http.get("/api/holds?limit=abc"), "limit");
        assertBadRequest(http.get("/api/holds?limit=-5"), "limit");
        assertBadRequest(http.get("/api/holds?offset=-1"), "offset");
        assertBadRequest(http.post("/api/holds?replace=maybe", "MAL-2\n"), "replace");
        assertBadRequest(http.get("/api/parcels/" + seg("BAD CODE")));
        assertThat(http.get("/api/holds/NEVER-HELD").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/parcels/NEVER-SEEN").statusCode()).isEqualTo(404);

        // the bounds themselves are fine
        HubHttp.ok(http.put("/api/holds/" + chars('B', 64), "{\"reason\": " + q(chars('r', 64)) + "}"));
        assertThat(HubHttp.ok(http.get("/api/holds")).path("count").asLong()).isEqualTo(before + 1);
        assertThat(http.get("/api/holds/MAL-1").statusCode()).isEqualTo(404);
        HubHttp.ok(http.delete("/api/holds/" + chars('B', 64)));
    }

    @Test
    void aMalformedBarcodeToReadOrReleaseIsA400NotA404() throws Exception {
        assertBadRequest(http.get("/api/holds/" + seg("BAD CODE")), "barcode");
        assertBadRequest(http.get("/api/holds/" + chars('B', 65)), "barcode");
        assertBadRequest(http.delete("/api/holds/" + seg("BAD\u0001")), "barcode");
        assertBadRequest(http.delete("/api/holds/" + chars('B', 65)), "barcode");
    }

    private static List<String> barcodesOfPage(JsonNode listing) {
        final List<JsonNode> pages = Ops.arrays(listing);
        assertThat(pages).as("one page (an array) in %s", listing).hasSize(1);
        final List<String> barcodes = new ArrayList<>();
        for (JsonNode h : pages.get(0)) {
            barcodes.add(h.isTextual() ? h.asText() : h.path("barcode").asText());
        }
        return barcodes;
    }

    /** An entry of `errors`: "with their line numbers" (a {"line": N} object or a "line N: ..." text). */
    private static int lineOf(JsonNode error) {
        if (error.has("line")) {
            return error.get("line").asInt();
        }
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+)").matcher(error.asText());
        assertThat(m.find()).as("a line number in %s", error).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static boolean truthy(JsonNode n) {
        return !n.isMissingNode() && !n.isNull() && !(n.isBoolean() && !n.asBoolean());
    }
}
