package io.sorthub.hub.cleanroom.ops;

import io.sorthub.test.Await;
import static io.sorthub.hub.cleanroom.ops.Ops.INTERCEPT_OUTLET;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_10;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_3;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_5;
import static io.sorthub.hub.cleanroom.ops.Ops.TO_6;
import static org.assertj.core.api.Assertions.assertThat;

import io.sorthub.hub.cleanroom.HubHttp;
import io.sorthub.hub.cleanroom.HubProcess;
import io.sorthub.hub.cleanroom.Wire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Replay rebuilds them" (OPERATIONS.md, "Interceptions, re-keys, overrides, bags" and
 * "Confirmation timeouts"): holds, overrides, re-keys, bags and the decisions waiting for a
 * confirmation survive an orderly stop and a SIGKILL, each change from before the stop in force
 * after it and nothing undone coming back.
 */
class RestartTest {
    private static final int SORTER = 61;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void holdsOverridesRekeysBagsAndPendingConfirmationsSurviveAStopAndAKill() throws Exception {
        final Path data = dir.resolve("data");

        // before the stop
        try (HubProcess hub = HubProcess.start(data); Source sorter = Source.open(hub.scanPort, 2, SORTER)) {
            final HubHttp http = new HubHttp(hub.httpPort);
            HubHttp.ok(http.put("/api/holds/RS-H1", "{\"reason\": \"restart hold\"}"));
            HubHttp.ok(http.post("/api/overrides", "{\"barcode\": \"RS-O1\", \"outlet\": 8, \"minutes\": 60}"));
            HubHttp.ok(http.post("/api/overrides", "{\"destination\": \"610900\", \"outlet\": 9, \"minutes\": 60}"));
            HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": \"PT-1\", \"barcode\": \"RS-K1\"}"));
            sorter.event(Wire.REKEY, "RS-K2", 0, "PT-2");
            sorter.event(Wire.BAG_TAG, "RS-BAG1", 5, "");
            intoChute(sorter, "RS-P1", TO_5, 5);
            assertThat(sorter.sort("RS-W1", TO_3).outlet()).isEqualTo(3);
            sorter.durable();
            assertThat(Ops.trace(http, "RS-W1").path("status").asText()).isEqualTo("awaiting_confirmation");
            hub.stop(Duration.ofSeconds(30)); // SIGTERM, the orderly stop (its exit status is not documented)
        }

        // after an orderly stop: everything back; then changes, and a SIGKILL
        try (HubProcess hub = HubProcess.start(data); Source sorter = Source.open(hub.scanPort, 2, SORTER)) {
            final HubHttp http = new HubHttp(hub.httpPort);
            assertThat(HubHttp.ok(http.get("/api/holds/RS-H1")).toString()).contains("restart hold");
            assertIntercepted(sorter, "RS-H1");
            assertThat(http.metric("sorthub_holds")).isEqualTo(1);
            assertOverride(sorter, "RS-O1", TO_3, 8);
            assertOverride(sorter, "RS-D1", "610900", 9);
            assertThat(http.metric("sorthub_overrides")).isEqualTo(2);
            assertRekeyed(sorter, "PT-1");
            assertRekeyed(sorter, "PT-2");
            assertThat(HubHttp.ok(http.get("/api/rekeys/PT-2")).toString()).contains("RS-K2");
            assertThat(http.metric("sorthub_rekeys")).isGreaterThanOrEqualTo(2);
            assertThat(HubHttp.ok(http.get("/api/bags/RS-BAG1")).toString()).contains("RS-P1");
            assertThat(http.metric("sorthub_bags_open")).isEqualTo(1);
            intoChute(sorter, "RS-P2", TO_5, 5);
            assertThat(HubHttp.ok(http.get("/api/bags/RS-BAG1")).toString()).as("the bag is still open").contains("RS-P2");
            assertThat(http.put("/api/outlets/6/bag", "{\"bagId\": \"RS-BAG1\"}").statusCode()).as("a bag id is used once").isBetween(400, 499);
            assertThat(Ops.trace(http, "RS-W1").path("status").asText()).as("waited for again").isEqualTo("awaiting_confirmation");
            assertThat(http.metric("sorthub_parcels_awaiting_confirmation")).isGreaterThanOrEqualTo(1);
            sorter.event(Wire.CONFIRM_DIVERTED, "RS-W1", 3, "");
            assertThat(Ops.trace(http, "RS-W1").path("status").asText()).isEqualTo("confirmed");

            HubHttp.ok(http.put("/api/holds/RS-H2", "{\"reason\": \"second hold\"}"));
            HubHttp.ok(http.delete("/api/holds/RS-H1"));
            HubHttp.ok(http.delete("/api/overrides/barcode/RS-O1"));
            HubHttp.ok(http.post("/api/rekeys", "{\"parcelId\": \"PT-3\", \"barcode\": \"RS-K3\"}"));
            HubHttp.ok(http.post("/api/outlets/5/bag/seal"));
            HubHttp.ok(http.put("/api/outlets/6/bag", "{\"bagId\": \"RS-BAG2\"}"));
            assertThat(sorter.sort("RS-W2", TO_3).outlet()).isEqualTo(3);
            sorter.durable();
            hub.kill();
        }

        // after the SIGKILL: the changes made before it, nothing undone back
        try (HubProcess hub = HubProcess.start(data); Source sorter = Source.open(hub.scanPort, 2, SORTER)) {
            final HubHttp http = new HubHttp(hub.httpPort);
            assertThat(HubHttp.ok(http.get("/api/holds/RS-H2")).toString()).contains("second hold");
            assertIntercepted(sorter, "RS-H2");
            assertThat(http.get("/api/holds/RS-H1").statusCode()).isEqualTo(404);
            assertThat(sorter.sort("RS-H1", TO_10).outlet()).isEqualTo(10);
            assertThat(http.metric("sorthub_holds")).isEqualTo(1);
            final Wire.Frame released = sorter.sort("RS-O1", TO_3);
            assertThat(released.outlet()).isEqualTo(3);
            assertThat(released.reason()).isEqualTo(Wire.REASON_RULE);
            assertOverride(sorter, "RS-D2", "610900", 9);
            assertThat(http.metric("sorthub_overrides")).isEqualTo(1);
            assertRekeyed(sorter, "PT-1");
            assertRekeyed(sorter, "PT-3");
            intoChute(sorter, "RS-P3", TO_5, 5);
            assertThat(HubHttp.ok(http.get("/api/bags/RS-BAG1")).toString()).as("sealed before the kill")
                .contains("RS-P1").contains("RS-P2").doesNotContain("RS-P3");
            intoChute(sorter, "RS-P4", TO_6, 6);
            assertThat(HubHttp.ok(http.get("/api/bags/RS-BAG2")).toString()).contains("RS-P4");
            assertThat(http.metric("sorthub_bags_open")).isEqualTo(1);
            assertThat(Ops.trace(http, "RS-W1").path("status").asText()).isEqualTo("confirmed");
            assertThat(Ops.trace(http, "RS-W2").path("status").asText()).isEqualTo("awaiting_confirmation");
            sorter.event(Wire.CONFIRM_DIVERTED, "RS-W2", 3, "");
            assertThat(Ops.trace(http, "RS-W2").path("status").asText()).isEqualTo("confirmed");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDecisionWaitingAtAKillIsUnconfirmedAfterTheRestartAndWhatWasOverdueIsNotCountedTwice() throws Exception {
        killWhileADecisionWaits(false);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDecisionWaitingAtAKillIsCountedUnconfirmedAfterTheRestart() throws Exception {
        killWhileADecisionWaits(true);
    }

    /**
     * RT-OVERDUE is counted unconfirmed before a SIGKILL; RT-WAITING is decided less than
     * confirmTimeoutMs before it. With {@code countWaiting}: the restarted hub must count RT-WAITING.
     */
    private void killWhileADecisionWaits(boolean countWaiting) throws Exception {
        final Path data = dir.resolve("data");
        final String config = HubProcess.writeConfig(dir, "confirmTimeoutMs: 1000\n").toString();
        final String overdue = "sorthub_parcels_unconfirmed_total{outlet=\"6\"}";
        final String waiting = "sorthub_parcels_unconfirmed_total{outlet=\"7\"}";
        final boolean killedWhileWaiting;
        try (HubProcess hub = HubProcess.start(data, "--config", config); Source sorter = Source.open(hub.scanPort, 2, SORTER)) {
            final HubHttp http = new HubHttp(hub.httpPort);
            intoChute(sorter, "RT-FIRST", TO_3, 3);
            assertThat(sorter.sort("RT-OVERDUE", TO_6).outlet()).isEqualTo(6);
            Await.value("RT-OVERDUE counted unconfirmed", Ops.WAIT, () -> http.metricOrZero(overdue) == 1 ? true : null);
            final long decided = System.nanoTime();
            assertThat(sorter.sort("RT-WAITING", Ops.TO_7).outlet()).isEqualTo(7);
            sorter.durable();
            hub.kill();
            killedWhileWaiting = System.nanoTime() - decided < TimeUnit.MILLISECONDS.toNanos(1000);
        }
        try (HubProcess hub = HubProcess.start(data, "--config", config)) {
            final HubHttp http = new HubHttp(hub.httpPort);
            Await.value("RT-WAITING unconfirmed after the restart", Ops.WAIT,
                () -> "unconfirmed".equals(Ops.trace(http, "RT-WAITING").path("status").asText()) ? true : null);
            assertThat(Ops.trace(http, "RT-OVERDUE").path("status").asText()).isEqualTo("unconfirmed");
            if (countWaiting) {
                Assumptions.assumeTrue(killedWhileWaiting, "the kill came after RT-WAITING's time was up (a slow machine)");
                // it was not counted before the kill: it must be after the restart
                Await.value(waiting + " counts RT-WAITING", Ops.WAIT, () -> http.metricOrZero(waiting) == 1 ? true : null);
            }
            assertThat(http.metricOrZero(waiting)).as("counted once at most").isLessThanOrEqualTo(1);
            assertThat(http.metricOrZero(overdue)).as("overdue before the kill: not counted again").isLessThanOrEqualTo(1);
        }
    }

    private static void intoChute(Source sorter, String barcode, String destination, int outlet) throws Exception {
        assertThat(sorter.sort(barcode, destination).outlet()).isEqualTo(outlet);
        sorter.event(Wire.CONFIRM_DIVERTED, barcode, outlet, "");
    }

    private static void assertIntercepted(Source sorter, String barcode) throws Exception {
        final Wire.Frame d = sorter.sort(barcode, TO_10);
        assertThat(d.outlet()).as("%s on hold", barcode).isEqualTo(INTERCEPT_OUTLET);
        assertThat(d.reason()).isEqualTo(Wire.REASON_INTERCEPTED);
    }

    private static void assertOverride(Source sorter, String barcode, String destination, int outlet) throws Exception {
        final Wire.Frame d = sorter.sort(barcode, destination);
        assertThat(d.outlet()).as("%s to %s overridden", barcode, destination).isEqualTo(outlet);
        assertThat(d.reason()).isEqualTo(Wire.REASON_OVERRIDE);
    }

    private static void assertRekeyed(Source sorter, String parcelId) throws Exception {
        final Wire.Frame d = sorter.decide(sorter.scan(Wire.NO_READ).barcode("").destination(TO_10).parcelId(parcelId));
        assertThat(d.outlet()).as("the no-read of %s routed by its keyed barcode", parcelId).isEqualTo(10);
        assertThat(d.decisionFlags() & 1).isEqualTo(1);
    }
}
