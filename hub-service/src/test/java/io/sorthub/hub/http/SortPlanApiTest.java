package io.sorthub.hub.http;

import io.sorthub.test.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.DecisionReason;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The engineer's HTTP API against a real hub: plan upload, dry-run routing, outlet state. */
@Timeout(60)
class SortPlanApiTest {
    static final String PLAN = """
        name: api-test
        rejectOutlet: 99
        defaultOutlet: 90
        outlets: [{id: 1}, {id: 2}, {id: 3}, {id: 90}, {id: 99, type: reject}]
        groups: [{id: SZ, outlets: [2, 3]}]
        rules:
          - {id: 7, destinationPrefix: "518", group: SZ}
          - {id: 8, destinationPrefix: "100", outlet: 1}
        """;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(HubService hub, String method, String path, String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(20));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void uploadRouteAndOutletStateSurviveARestart() throws Exception {
        long version;
        try (HubService hub = TestHub.start(dataDir)) {
            final HttpResponse<String> put = send(hub, "PUT", "/api/sort-plan", PLAN);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            version = new JsonObject(put.body()).getLong("version");
            assertThat(hub.plans().current().version()).isEqualTo(version);

            final JsonObject plan = new JsonObject(send(hub, "GET", "/api/sort-plan", null).body());
            assertThat(plan.getString("name")).isEqualTo("api-test");
            assertThat(plan.getLong("version")).isEqualTo(version);
            assertThat(plan.getInteger("rules")).isEqualTo(2);
            assertThat(send(hub, "GET", "/api/sort-plan?format=yaml", null).body()).isEqualTo(PLAN);

            JsonObject route = new JsonObject(send(hub, "GET", "/api/route?destination=518057&barcode=SF1", null).body());
            assertThat(route.getInteger("outlet")).isEqualTo(2);
            assertThat(route.getString("reason")).isEqualTo("rule");
            assertThat(route.getJsonObject("rule").getInteger("line")).isEqualTo(7);

            final HttpResponse<String> full = send(hub, "PUT", "/api/outlets/2", "{\"status\": \"full\"}");
            assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
            route = new JsonObject(send(hub, "GET", "/api/route?destination=518057&barcode=SF1", null).body());
            assertThat(route.getInteger("outlet")).isEqualTo(3);
            assertThat(route.getString("reason")).isEqualTo("alternate");
            assertThat(route.getJsonArray("considered").encode())
                .isEqualTo("[{\"outlet\":2,\"name\":\"outlet 2\",\"status\":\"full\"},{\"outlet\":3,\"name\":\"outlet 3\",\"status\":\"available\"}]");

            // A live scan sees the same thing.
            try (ScanSender sender = new ScanSender(hub.scanPort(), 1)) {
                sender.send(1, 1); // sequence 1: destination 518057
                Await.until(WAIT, () -> sender.decisions.containsKey(1L), () -> "decision");
                assertThat(sender.decisions.get(1L).outlet()).isEqualTo(3);
                assertThat(sender.decisions.get(1L).reason()).isEqualTo(DecisionReason.ALTERNATE);
                assertThat(sender.decisions.get(1L).planVersion()).isEqualTo(version);
                sender.awaitAck(1, WAIT);
            }
            final JsonArray outlets = new JsonArray(send(hub, "GET", "/api/outlets", null).body());
            assertThat(outlets.getJsonObject(1).encode()).contains("\"id\":2").contains("\"status\":\"full\"").contains("\"group\":\"SZ\"");
        }
        // The plan and the outlet state come back from the journal alone.
        try (HubService hub = TestHub.start(dataDir)) {
            assertThat(hub.plans().current().version()).isEqualTo(version);
            assertThat(hub.plans().current().name()).isEqualTo("api-test");
            final JsonObject route = new JsonObject(send(hub, "GET", "/api/route?destination=518057&barcode=SF1", null).body());
            assertThat(route.getInteger("outlet")).isEqualTo(3);
        }
    }

    @Test
    void chuteStatusFromTheSorterSteersDecisionsAndIsRebuiltFromTheJournal() throws Exception {
        try (HubService hub = TestHub.start(dataDir); ScanSender sorter = new ScanSender(hub.scanPort(), 3)) {
            assertThat(send(hub, "PUT", "/api/sort-plan", PLAN).statusCode()).isEqualTo(200);
            sorter.client.scan().sequence(1).kind(io.sorthub.protocol.EventKind.CHUTE_FULL).outlet(2).strings("PLC", "", "", "");
            sorter.client.sendScan();
            sorter.client.flush();
            sorter.awaitAck(1, WAIT);
            final JsonObject route = new JsonObject(send(hub, "GET", "/api/route?destination=518057&barcode=SF1", null).body());
            assertThat(route.getInteger("outlet")).isEqualTo(3);
        }
        try (HubService hub = TestHub.start(dataDir)) {
            JsonObject route = new JsonObject(send(hub, "GET", "/api/route?destination=518057&barcode=SF1", null).body());
            assertThat(route.getInteger("outlet")).as("chute 2 still full after the restart").isEqualTo(3);
            try (ScanSender sorter = new ScanSender(hub.scanPort(), 3)) {
                sorter.client.scan().sequence(2).kind(io.sorthub.protocol.EventKind.CHUTE_CLEARED).outlet(2).strings("PLC", "", "", "");
                sorter.client.sendScan();
                sorter.client.flush();
                sorter.awaitAck(2, WAIT);
            }
            route = new JsonObject(send(hub, "GET", "/api/route?destination=518057&barcode=SF1", null).body());
            assertThat(route.getInteger("outlet")).isEqualTo(2);
        }
    }

    @Test
    void aBadPlanIsRefusedWith400AndTheRunningPlanStays() throws Exception {
        try (HubService hub = TestHub.start(dataDir)) {
            final long before = hub.plans().current().version();
            HttpResponse<String> put = send(hub, "PUT", "/api/sort-plan", PLAN.replace("outlet: 1}", "outlet: 4}"));
            assertThat(put.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(put.body()).getString("error"))
                .isEqualTo("sort plan rejected, the running plan stays: line 8: rules[1] (rule 8): outlet: unknown outlet 4");
            put = send(hub, "PUT", "/api/sort-plan", PLAN.replace("outlet: 1}", "outlet: 4}").replace("group: SZ}", "group: XX}"));
            assertThat(put.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(put.body()).getString("error")).isEqualTo("sort plan rejected, the running plan stays: "
                + "2 errors, the first: line 7: rules[0] (rule 7): unknown group 'XX'");
            assertThat(new JsonObject(put.body()).getJsonArray("errors").getList()).containsExactly(
                "line 7: rules[0] (rule 7): unknown group 'XX'", "line 8: rules[1] (rule 8): outlet: unknown outlet 4");
            put = send(hub, "PUT", "/api/sort-plan", "rules: [");
            assertThat(put.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(put.body()).getString("error")).contains("not valid YAML").contains("line");
            put = send(hub, "PUT", "/api/sort-plan", "");
            assertThat(put.statusCode()).isEqualTo(400);
            assertThat(hub.plans().current().version()).isEqualTo(before);
        }
    }

    /**
     * Traffic through the real scan port, then a candidate plan tried on it: the report says
     * exactly what would move, and the plan in force, its version and the journal's plans
     * stay as they were.
     */
    @Test
    void aDryRunReportsWhatACandidateWouldDoWithoutPuttingItInForce() throws Exception {
        try (HubService hub = TestHub.start(dataDir)) {
            assertThat(send(hub, "PUT", "/api/sort-plan", PLAN).statusCode()).isEqualTo(200);
            final long version = hub.plans().current().version();
            try (ScanSender sender = new ScanSender(hub.scanPort(), 1)) {
                sender.send(1, 60); // each of the six destinations ten times
                sender.awaitAck(60, WAIT);
            }
            final String candidate = PLAN.replace("name: api-test", "name: candidate")
                .replace("{id: 7, destinationPrefix: \"518\", group: SZ}", "{id: 7, destinationPrefix: \"518\", outlet: 1}");
            final HttpResponse<String> dry = send(hub, "PUT", "/api/sort-plan?dryRun=true&hours=1", candidate);
            assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
            final JsonObject report = new JsonObject(dry.body());
            assertThat(report.getBoolean("dryRun")).isTrue();
            assertThat(report.getString("plan")).isEqualTo("candidate");
            assertThat(report.getLong("parcels")).isEqualTo(60);
            assertThat(report.getLong("changedOutlet")).as("the ten parcels to 518057").isEqualTo(10);
            assertThat(report.getJsonArray("outletChanges").encode()).isEqualTo("[{\"from\":2,\"to\":1,\"parcels\":10}]");
            assertThat(report.getJsonObject("answers").getJsonObject("default").getLong("after"))
                .as("599999, 200001, 999999 and 430070: forty parcels").isEqualTo(40);

            assertThat(hub.plans().current().version()).isEqualTo(version);
            assertThat(hub.plans().current().name()).isEqualTo("api-test");
            assertThat(new JsonObject(send(hub, "GET", "/api/sort-plan", null).body()).getLong("version")).isEqualTo(version);

            final HttpResponse<String> bad = send(hub, "PUT", "/api/sort-plan?dryRun=true", candidate.replace("outlet: 1}", "outlet: 4}"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(bad.body()).getString("error")).isEqualTo("sort plan refused (dry run, nothing changed): 2 errors, the first: line 7: rules[0] (rule 7): outlet: unknown outlet 4");
        }
    }

    @Test
    void aPlanOverTheSizeBoundIsRefusedBeforeItIsRead() throws Exception {
        try (HubService hub = TestHub.start(dataDir)) {
            final HttpResponse<String> put = send(hub, "PUT", "/api/sort-plan", "# " + "x".repeat(17 << 20));
            assertThat(put.statusCode()).isEqualTo(413);
            final HttpResponse<String> longLine = send(hub, "PUT", "/api/sort-plan", PLAN + "# " + "x".repeat(20_000) + "\n");
            assertThat(longLine.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(longLine.body()).getString("error"))
                .contains("line 9: the line is 20,002 characters long; a plan line may be at most 16,384");
        }
    }

    @Test
    void badQueriesAndBodiesNameTheProblem() throws Exception {
        try (HubService hub = TestHub.start(dataDir)) {
            HttpResponse<String> r = send(hub, "GET", "/api/route?destination=1&weight=heavy", null);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("weight 'heavy' must be a whole number");
            r = send(hub, "GET", "/api/route?serviceClass=urgent", null);
            assertThat(r.body()).contains("serviceClass 'urgent'");
            r = send(hub, "GET", "/api/route?at=25:99&barcode=X", null);
            assertThat(r.body()).contains("at '25:99' is not a time of day");
            r = send(hub, "GET", "/api/route?barcode=" + "B".repeat(65), null);
            assertThat(r.body()).contains("barcode must be at most 64");
            r = send(hub, "GET", "/api/route?destination=518057&servicClass=express", null);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("error")).startsWith("unknown parameter 'servicClass'; this endpoint takes [");
            r = send(hub, "GET", "/api/route?destination=518057&multiRead=yes", null);
            assertThat(r.body()).contains("multiRead must be true or false, not 'yes'");
            r = send(hub, "PUT", "/api/sort-plan?dryrun=true", PLAN);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("unknown parameter 'dryrun'");
            r = send(hub, "PUT", "/api/sort-plan?hours=3", PLAN);
            assertThat(r.body()).contains("hours and capacity go with dryRun=true");
            r = send(hub, "PUT", "/api/sort-plan?dryRun=true&hours=0", PLAN);
            assertThat(r.body()).contains("hours '0' must be a whole number from 1 to 744");
            r = send(hub, "PUT", "/api/outlets/1", "{not json");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("not JSON");
            r = send(hub, "PUT", "/api/outlets/1", "{\"status\": \"overflowing\"}");
            assertThat(r.statusCode()).isEqualTo(400);
            r = send(hub, "PUT", "/api/outlets/4242", "{\"status\": \"full\"}");
            assertThat(r.statusCode()).isEqualTo(404);
            r = send(hub, "PUT", "/api/outlets/abc", "{\"status\": \"full\"}");
            assertThat(r.statusCode()).isEqualTo(400);
            r = send(hub, "GET", "/api/no-such-thing", null);
            assertThat(r.statusCode()).as("a path the API does not have").isEqualTo(404);
            r = send(hub, "DELETE", "/api/outlets/1", null);
            assertThat(r.statusCode()).as("a path the API has, by another method").isEqualTo(405);
        }
    }
}
