package io.sorthub.hub.pair;

import io.sorthub.hub.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.protocol.client.HubClient;
import io.sorthub.protocol.client.HubClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two hub-service instances of one pair, in this JVM, on a three-broker Kafka cluster. */
@Timeout(180)
class HubPairTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static PairCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new PairCluster();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HttpResponse<String> http(HubService hub, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(WAIT).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Long> sequences(Path dataDir, int source) {
        return TestHub.readJournal(dataDir).stream().filter(e -> e.sourceId() == source).map(Entry::sequence).toList();
    }

    @Test
    void theStandbyFollowsTheActiveAndTakesOverWithEverythingAcknowledged() throws Exception {
        final Path a = dir.resolve("a");
        final Path b = dir.resolve("b");
        final HubService first = HubService.start(cluster.hubConfig(a, "p1", "a"));
        final HubService second;
        try {
            Await.until(WAIT, () -> first.pair().active(), () -> "a never became active: " + first.pair().status());
            second = HubService.start(cluster.hubConfig(b, "p1", "b"));
        } catch (Exception | AssertionError e) {
            first.close();
            throw e;
        }
        try {
            assertThat(second.pair().active()).isFalse();
            Await.until(WAIT, () -> second.pair().status().containsKey("active"), () -> "b learns who is active from the log");
            assertThatThrownBy(() -> HubClient.connect("127.0.0.1", second.scanPort(), 7, "s", "", WAIT))
                .isInstanceOf(HubClientException.class).hasMessageContaining("standby").hasMessageContaining("active=");
            // Changes are the active's; a standby still answers reads.
            assertThat(http(second, "PUT", "/api/outlets/1", "{\"status\": \"full\"}").statusCode()).isEqualTo(409);
            assertThat(http(second, "GET", "/api/outlets", null).statusCode()).isEqualTo(200);
            try (ScanSender sender = new ScanSender(first.scanPort(), 7)) {
                sender.send(1, 2_000);
                sender.awaitAck(2_000, WAIT);
            }
            Await.until(WAIT, () -> second.pair().status().getLong("logPosition") >= first.pair().status().getLong("logPosition"),
                () -> "b did not follow: " + second.pair().status());
            assertThat(sequences(b, 7)).as("the standby's journal").containsExactlyElementsOf(
                LongStream.rangeClosed(1, 2_000).boxed().toList());
        } finally {
            first.close(); // the active leaves: the standby takes over at once
        }
        try {
            Await.until(WAIT, () -> second.pair().active(), () -> "b never took over: " + second.pair().status());
            try (ScanSender sender = new ScanSender(second.scanPort(), 7)) {
                assertThat(sender.client.resumeSequence()).isEqualTo(2_000);
                sender.send(2_001, 3_000);
                sender.awaitAck(3_000, WAIT);
            }
            final HubService again = HubService.start(cluster.hubConfig(a, "p1", "a"));
            try {
                Await.until(WAIT, () -> again.pair().status().getLong("logPosition")
                    >= second.pair().status().getLong("logPosition"), () -> "a did not catch up: " + again.pair().status());
                assertThat(again.pair().active()).isFalse();
            } finally {
                again.close();
            }
            assertThat(sequences(a, 7)).containsExactlyElementsOf(LongStream.rangeClosed(1, 3_000).boxed().toList());
        } finally {
            second.close();
        }
        assertThat(sequences(b, 7)).containsExactlyElementsOf(LongStream.rangeClosed(1, 3_000).boxed().toList());
    }
}
