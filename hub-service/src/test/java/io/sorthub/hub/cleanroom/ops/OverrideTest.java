package io.sorthub.hub.cleanroom.ops;

import io.sorthub.test.Await;
import static io.sorthub.hub.cleanroom.ops.Ops.INTERCEPT_OUTLET;
import static io.sorthub.hub.cleanroom.ops.Ops.RULE_TO_3;
import static io.sorthub.hub.cleanroom.ops.Ops.RULE_TO_6;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_3;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_6;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_8;
import static io.sorthub.hub.cleanroom.ops.Ops.assertBadRequest;
import static io.sorthub.hub.cleanroom.ops.Ops.chars;
import static io.sorthub.hub.cleanroom.ops.Ops.q;
import static io.sorthub.hub.cleanroom.ops.Ops.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.sorthub.hub.cleanroom.HubHttp;
import io.sorthub.hub.cleanroom.HubProcess;
import io.sorthub.hub.cleanroom.Wire;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overrides, OPERATIONS.md "Interceptions, re-keys, overrides, bags" and SORT-PLAN.md "The hub's
 * exceptions come after the plan": a barcode's override wins over its destination's, the
 * interception wins over both, a disabled outlet is not used, an override ends at its time or
 * when cancelled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverrideTest {
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
        v1 = Source.open(hub.scanPort, 1, 31);
        v2 = Source.open(hub.scanPort, 2, 32);
    }

    @AfterAll
    static void stop() throws Exception {
        v1.close();
        v2.close();
        hub.close();
    }

    private static void override(String json) throws Exception {
        HubHttp.ok(http.post("/api/overrides", json));
    }

    @Test
    void aDestinationOverrideSendsEveryParcelToItsOutlet() throws Exception {
        final double applied = http.metricOrZero("sorthub_overrides_applied_total");
        override("{\"destination\": \"" + TO_6 + "\", \"outlet\": 7, \"minutes\": 30}");

        final Wire.Frame d2 = v2.sort("OV-D1", TO_6);
        assertThat(d2.outlet()).isEqualTo(7);
        assertThat(d2.reason()).isEqualTo(Wire.REASON_OVERRIDE);
        assertThat(d2.ruleId()).as("SORT-PLAN.md: OVERRIDE, rule 0").isZero();
        final Wire.Frame d1 = v1.sort("OV-D2", TO_6);
        assertThat(d1.outlet()).isEqualTo(7);
        assertThat(d1.reason()).as("a version 1 session is never sent 10 or 11").isEqualTo(Wire.REASON_RULE);
        final Wire.Frame neighbour = v2.sort("OV-D3", "310200"); // same rule, another destination
        assertThat(neighbour.outlet()).isEqualTo(6);
        assertThat(neighbour.ruleId()).isEqualTo(RULE_TO_6);

        assertThat(http.get("/api/overrides").body()).contains(TO_6);
        assertThat(http.metric("sorthub_overrides_applied_total")).isEqualTo(applied + 2);
        assertThat(http.metric("sorthub_overrides")).isGreaterThanOrEqualTo(1);
        HubHttp.ok(http.delete("/api/overrides/destination/" + TO_6));
    }

    @Test
    void theBarcodesOverrideWinsOverTheDestinationsAndTheHoldOverBoth() throws Exception {
        override("{\"destination\": \"" + TO_8 + "\", \"outlet\": 9, \"minutes\": 30}");
        override("{\"barcode\": \"OV-B1\", \"outlet\": 11, \"minutes\": 30}");

        assertThat(v2.sort("OV-B1", TO_8).outlet()).isEqualTo(11);
        assertThat(v2.sort("OV-B2", TO_8).outlet()).isEqualTo(9);
        HubHttp.ok(http.put("/api/holds/OV-B1", "{\"reason\": \"held\"}"));
        final Wire.Frame held = v2.sort("OV-B1", TO_8);
        assertThat(held.outlet()).isEqualTo(INTERCEPT_OUTLET);
        assertThat(held.reason()).isEqualTo(Wire.REASON_INTERCEPTED);
        HubHttp.ok(http.delete("/api/holds/OV-B1"));
        assertThat(v2.sort("OV-B1", TO_8).outlet()).isEqualTo(11);

        HubHttp.ok(http.delete("/api/overrides/barcode/OV-B1"));
        HubHttp.ok(http.delete("/api/overrides/destination/" + TO_8));
    }

    @Test
    void anOverrideToADisabledOutletLeavesThePlansDecision() throws Exception {
        override("{\"destination\": \"200300\", \"outlet\": 4, \"minutes\": 30}");
        HubHttp.ok(http.put("/api/outlets/4", "{\"status\": \"disabled\"}"));
        try {
            final Wire.Frame d = v2.sort("OV-X1", "200300");
            assertThat(d.outlet()).isEqualTo(3);
            assertThat(d.reason()).isEqualTo(Wire.REASON_RULE);
            assertThat(d.ruleId()).isEqualTo(RULE_TO_3);
        } finally {
            HubHttp.ok(http.put("/api/outlets/4", "{\"status\": \"available\"}"));
        }
        final Wire.Frame d = v2.sort("OV-X2", "200300");
        assertThat(d.outlet()).isEqualTo(4);
        assertThat(d.reason()).isEqualTo(Wire.REASON_OVERRIDE);
        HubHttp.ok(http.delete("/api/overrides/destination/200300"));
    }

    @Test
    void anOverrideEndsAtItsUntil() throws Exception {
        final Instant until = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        override("{\"barcode\": \"OV-U1\", \"outlet\": 8, \"until\": \"" + until + "\"}");

        final Wire.Frame during = v2.sort("OV-U1", TO_3);
        if (Instant.now().isBefore(until)) {
            assertThat(during.outlet()).isEqualTo(8);
            assertThat(during.reason()).isEqualTo(Wire.REASON_OVERRIDE);
        }
        final Wire.Frame[] after = new Wire.Frame[1];
        final Instant answered = Await.value("the override of OV-U1 ends at " + until, Duration.ofSeconds(20), () -> {
            after[0] = v2.sort("OV-U1", TO_3);
            return after[0].reason() == Wire.REASON_OVERRIDE ? null : Instant.now();
        });
        // a decision received before `until` was made before it: it must still have been the override's
        assertThat(answered).as("the plan again only from the override's end").isAfterOrEqualTo(until);
        assertThat(after[0].outlet()).isEqualTo(3);
        assertThat(after[0].ruleId()).isEqualTo(RULE_TO_3);
    }

    @Test
    void cancelledOverridesStopAndCancellingTwiceIs404() throws Exception {
        override("{\"barcode\": \"OV-C1\", \"outlet\": 8, \"minutes\": 30}");
        override("{\"destination\": \"200400\", \"outlet\": 9, \"minutes\": 30}");
        assertThat(v2.sort("OV-C1", TO_3).outlet()).isEqualTo(8);
        assertThat(v2.sort("OV-C2", "200400").outlet()).isEqualTo(9);

        HubHttp.ok(http.delete("/api/overrides/barcode/OV-C1"));
        HubHttp.ok(http.delete("/api/overrides/destination/200400"));

        assertThat(v2.sort("OV-C1", TO_3).outlet()).isEqualTo(3);
        assertThat(v2.sort("OV-C2", "200400").outlet()).isEqualTo(3);
        assertThat(http.get("/api/overrides").body()).doesNotContain("OV-C1").doesNotContain("200400");
        assertThat(http.delete("/api/overrides/barcode/OV-C1").statusCode()).isEqualTo(404);
        assertThat(http.delete("/api/overrides/destination/200400").statusCode()).isEqualTo(404);
        assertThat(http.delete("/api/overrides/barcode/NEVER-OVERRIDDEN").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedOverridesAreRefusedNamingWhatWasWrong() throws Exception {
        final String later = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, "));
        assertBadRequest(http.post("/api/overrides", "[]"));
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"minutes\": 5, \"colour\": \"red\"}"), "colour");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": \"seven\", \"minutes\": 5}"), "outlet");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"minutes\": \"five\"}"), "minutes");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7}"), "minutes");
        assertBadRequest(http.post("/api/overrides", "{\"outlet\": 7, \"minutes\": 5}"), "barcode");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"minutes\": 5}"), "outlet");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL 1\", \"outlet\": 7, \"minutes\": 5}"), "barcode");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL\\u00011\", \"outlet\": 7, \"minutes\": 5}"), "barcode");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": " + q(chars('M', 65)) + ", \"outlet\": 7, \"minutes\": 5}"), "barcode");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 0, \"minutes\": 5}"), "outlet");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 70000, \"minutes\": 5}"), "outlet");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 55, \"minutes\": 5}"), "outlet");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"minutes\": 0}"), "minutes");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"minutes\": -5}"), "minutes");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"minutes\": 10081}"), "minutes");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"until\": \"2020-01-01T00:00:00Z\"}"), "until");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"until\": \""
            + Instant.now().plus(Duration.ofDays(8)).truncatedTo(ChronoUnit.SECONDS) + "\"}"), "until");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"until\": \"tomorrow\"}"), "until");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"until\": 5}"), "until");
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"outlet\": 7, \"minutes\": 5, \"until\": \"" + later + "\"}"));
        assertBadRequest(http.post("/api/overrides", "{\"barcode\": \"MAL-1\", \"destination\": \"" + TO_3 + "\", \"outlet\": 7, \"minutes\": 5}"));
        assertThat(http.get("/api/overrides").body()).as("nothing refused is in force").doesNotContain("MAL");

        // the bounds themselves are fine: 7 days ahead, a 64-character barcode
        override("{\"barcode\": " + q(chars('M', 64)) + ", \"outlet\": 7, \"minutes\": 10080}");
        override("{\"barcode\": \"MAL-OK\", \"outlet\": 7, \"until\": \""
            + Instant.now().plus(Duration.ofDays(7)).minusSeconds(60).truncatedTo(ChronoUnit.SECONDS) + "\"}");
        HubHttp.ok(http.delete("/api/overrides/barcode/" + chars('M', 64)));
        HubHttp.ok(http.delete("/api/overrides/barcode/MAL-OK"));
    }

    @Test
    void aMalformedBarcodeToCancelIsA400() throws Exception {
        assertBadRequest(http.delete("/api/overrides/barcode/" + seg("MAL 1")), "barcode");
        assertBadRequest(http.delete("/api/overrides/barcode/" + chars('M', 65)), "barcode");
    }
}
