package io.sorthub.hub.ops;

import io.sorthub.test.StandardStreams;
import io.sorthub.test.Await;
import io.sorthub.hub.ChildHub;
import io.sorthub.hub.cli.HubMain;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations tables are the journal's: a hub killed with SIGKILL (no shutdown, nothing
 * tidied) comes back with the same hold list, overrides, re-keys, bags and decisions awaiting
 * confirmation, whether they were made through the API or by the sources' events.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HubOperationsReplayTest {
    @TempDir
    Path dir;

    @Test
    void aKilledHubComesBackWithItsOperationsTables() throws Exception {
        final Path data = dir.resolve("data");
        final Path config = dir.resolve("hub.yaml");
        Files.writeString(config, "confirmTimeoutMs: 60000\n");
        try (ChildHub hub = new ChildHub(data, "--config", config.toString())) {
            final Http http = new Http(hub.httpPort);
            assertThat(http.put("/api/holds/SF1", "{\"reason\": \"recall 7\"}").statusCode()).isEqualTo(200);
            assertThat(http.post("/api/holds", "SF5\tcustoms\nSF6\n").statusCode()).isEqualTo(200);
            assertThat(http.delete("/api/holds/SF6").statusCode()).isEqualTo(200);
            assertThat(http.post("/api/overrides", "{\"destination\": \"200001\", \"outlet\": 4, \"minutes\": 60}")
                .statusCode()).isEqualTo(200);
            assertThat(http.post("/api/rekeys", "{\"parcelId\": \"T-1\", \"barcode\": \"SF2\"}").statusCode()).isEqualTo(200);
            assertThat(http.put("/api/outlets/5/bag", "{\"bagId\": \"BAG-1\"}").statusCode()).isEqualTo(200);
            try (V2Source sorter = new V2Source(hub.scanPort, 7, 2)) {
                sorter.send(EventKind.REKEY, "SF3", "", 0, "T-2");
                sorter.send(EventKind.BAG_TAG, "BAG-2", "", 3, "");
                sorter.send(EventKind.CONFIRM_DIVERTED, "SF9", "518057", 5, "");
                sorter.send(EventKind.SORT_REQUEST, "SF10", "518057", 0, "T-10"); // awaits its confirmation
                sorter.awaitAck(4);
            }
            Await.until(V2Source.WAIT, () -> metric(http, "sorthub_parcels_awaiting_confirmation") == 1.0,
                () -> "SF10 not awaiting confirmation");
            hub.kill();
        }
        try (ChildHub hub = new ChildHub(data, "--config", config.toString())) {
            final Http http = new Http(hub.httpPort);
            assertThat(http.json(http.get("/api/holds/SF1")).getString("reason")).isEqualTo("recall 7");
            assertThat(http.json(http.get("/api/holds/SF5")).getString("reason")).isEqualTo("customs");
            assertThat(http.get("/api/holds/SF6").statusCode()).isEqualTo(404);
            final JsonArray overrides = new JsonArray(http.get("/api/overrides").body());
            assertThat(overrides).hasSize(1);
            assertThat(overrides.getJsonObject(0).getString("destination")).isEqualTo("200001");
            assertThat(http.json(http.get("/api/rekeys/T-1")).getString("barcode")).isEqualTo("SF2");
            assertThat(http.json(http.get("/api/rekeys/T-2")).getString("barcode")).isEqualTo("SF3");
            final JsonObject bag1 = http.json(http.get("/api/bags/BAG-1"));
            assertThat(bag1.getString("sealedAt")).isNull();
            assertThat(bag1.getJsonArray("parcels").getJsonObject(0).getString("barcode")).isEqualTo("SF9");
            assertThat(http.json(http.get("/api/bags/BAG-2")).getInteger("outlet")).isEqualTo(3);
            assertThat(metric(http, "sorthub_parcels_awaiting_confirmation")).as("rebuilt by replay").isEqualTo(1.0);
            try (V2Source sorter = new V2Source(hub.scanPort, 8, 2)) {
                final V2Source.Reply held = sorter.decision(sorter.send(EventKind.SORT_REQUEST, "SF1", "518057", 0, ""));
                assertThat(held.outlet()).isEqualTo(96);
                assertThat(held.reason()).isEqualTo(DecisionReason.INTERCEPTED);
                final V2Source.Reply overridden = sorter.decision(sorter.send(EventKind.SORT_REQUEST, "SF11", "200001", 0, ""));
                assertThat(overridden.outlet()).isEqualTo(4);
                final V2Source.Reply keyed = sorter.decision(sorter.send(EventKind.NO_READ, "", "518057", 0, "T-2"));
                assertThat(keyed.outlet()).isEqualTo(5);
                assertThat(keyed.flags()).isEqualTo(DecisionFlyweight.FLAG_REKEYED);
                sorter.send(EventKind.CONFIRM_DIVERTED, "SF10", "518057", 5, "T-10");
                sorter.awaitAck(4);
            }
            // SF10 was confirmed (matching the decision made before the kill); the three just made wait.
            Await.until(V2Source.WAIT, () -> metric(http, "sorthub_parcels_awaiting_confirmation") == 3.0,
                () -> "awaiting " + metric(http, "sorthub_parcels_awaiting_confirmation"));
        }
        // The bag manifests, from the journal alone.
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = StandardStreams.capture(out, null,
            () -> new CommandLine(new HubMain()).execute("journal", "export", "--data-dir", data.toString(), "--bags"));
        assertThat(exit).isZero();
        final String manifests = out.toString(StandardCharsets.UTF_8);
        assertThat(manifests.lines()).hasSize(2);
        assertThat(manifests).contains("\"bag\":\"BAG-1\",\"outlet\":5,").contains("\"count\":2,\"parcels\":[\"SF9\",\"SF10\"]")
            .contains("\"bag\":\"BAG-2\",\"outlet\":3,");
    }

    private static double metric(Http http, String series) {
        try {
            return http.metric(series);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
