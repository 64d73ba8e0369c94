package io.sorthub.hub.metrics;

import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub times its own share of reply latency: per read batch to its DECISIONs, and to the ACK covering it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplyLatencyTest {
    @TempDir
    Path dir;

    @Test
    void decisionsAndAcksAreTimedFromTheReadAndTheIntervalStartsAgainAfterEachCall() throws Exception {
        try (HubService hub = TestHub.start(dir)) {
            try (ScanSender sender = new ScanSender(hub.scanPort(), 1)) {
                sender.send(1, 500);
                sender.awaitAck(500, Duration.ofSeconds(30));
            }
            final JsonObject first = latency(hub);
            final JsonObject decision = first.getJsonObject("decision");
            final JsonObject ack = first.getJsonObject("ack");
            assertThat(decision.getLong("count")).isBetween(1L, 500L);
            assertThat(ack.getLong("count")).isBetween(1L, decision.getLong("count"));
            assertThat(ack.getDouble("p50Us")).isPositive();
            assertThat(ack.getDouble("maxUs")).isGreaterThanOrEqualTo(ack.getDouble("p99Us"));
            assertThat(latency(hub).getJsonObject("ack").getLong("count")).as("a new interval").isZero();
            assertThat(hub.metrics().scrape()).contains("sorthub_reply_latency_seconds_count{reply=\"ack\"}")
                .contains("sorthub_reply_latency_seconds_bucket{reply=\"decision\",le=\"0.001\"}");
        }
    }

    private static JsonObject latency(HubService hub) throws Exception {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/latency")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
