package io.sorthub.hub.http;

import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.EventKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A parcel's trace is its journal records, in order, before and after a restart. */
@Timeout(60)
class ParcelTraceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final EventKind[] FLOW = {EventKind.ARRIVAL, EventKind.SORT_REQUEST, EventKind.CONFIRM_RECIRCULATED,
        EventKind.SORT_REQUEST, EventKind.CONFIRM_DIVERTED, EventKind.LOADING};

    @TempDir
    Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(HubService hub, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** 500 parcels, interleaved: each goes through FLOW, with other parcels' events in between. */
    private static void sendFlows(ScanSender sender) throws Exception {
        long seq = 1;
        for (int step = 0; step < FLOW.length; step++) {
            for (int parcel = 0; parcel < 500; parcel++) {
                sender.client.scan().sequence(seq++).deviceTimeMs(1_763_800_000_000L + step * 1000L)
                    .kind(FLOW[step]).recirculations(step >= 3 ? 1 : 0).outlet(FLOW[step] == EventKind.CONFIRM_DIVERTED ? 5 : 0)
                    .strings("TUNNEL-" + step, "SF" + (1000 + parcel), "518057", "C");
                sender.client.sendScan();
            }
            sender.client.flush();
        }
    }

    private static void assertFlow(JsonObject trace, String barcode, List<Long> journalIndexes) {
        assertThat(trace.getString("barcode")).isEqualTo(barcode);
        final JsonArray events = trace.getJsonArray("events");
        assertThat(events).hasSize(FLOW.length);
        long lastIndex = 0;
        for (int i = 0; i < FLOW.length; i++) {
            final JsonObject e = events.getJsonObject(i);
            assertThat(e.getString("kind")).isEqualTo(FLOW[i].name().toLowerCase());
            assertThat(e.getString("scanner")).isEqualTo("TUNNEL-" + i);
            assertThat(e.getLong("journalIndex")).isGreaterThan(lastIndex);
            lastIndex = e.getLong("journalIndex");
            journalIndexes.add(lastIndex);
        }
        assertThat(events.getJsonObject(1).getInteger("outlet")).isEqualTo(5);
        assertThat(events.getJsonObject(1).getString("reason")).isEqualTo("rule");
        assertThat(events.getJsonObject(1).getInteger("ruleId")).isEqualTo(50);
        assertThat(events.getJsonObject(4).getInteger("reportedOutlet")).isEqualTo(5);
    }

    @Test
    void traceListsEveryEventOfTheParcelInOrderAndSurvivesARestart() throws Exception {
        final List<Long> before = new java.util.ArrayList<>();
        try (HubService hub = TestHub.start(dataDir); ScanSender sender = new ScanSender(hub.scanPort(), 4)) {
            sendFlows(sender);
            sender.awaitAck(500L * FLOW.length, WAIT);
            final HttpResponse<String> r = get(hub, "/api/parcels/SF1234");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertFlow(new JsonObject(r.body()), "SF1234", before);
        }
        // The index comes back from the journal alone.
        try (HubService hub = TestHub.start(dataDir)) {
            final List<Long> after = new java.util.ArrayList<>();
            assertFlow(new JsonObject(get(hub, "/api/parcels/SF1234").body()), "SF1234", after);
            assertThat(after).isEqualTo(before);
            // and the journal itself agrees with the trace
            final var journal = TestHub.readJournal(dataDir).stream().filter(e -> e.barcode().equals("SF1234")).toList();
            assertThat(journal).extracting(TestHub.Entry::index).isEqualTo(before);

            final HttpResponse<String> unknown = get(hub, "/api/parcels/NEVER-SEEN");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no event for barcode NEVER-SEEN");
            final HttpResponse<String> bad = get(hub, "/api/parcels/" + "X".repeat(65));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("barcode must be 1 to 64");
        }
    }
}
