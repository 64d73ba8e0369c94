package io.sorthub.hub;

import io.sorthub.test.Await;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.protocol.DecisionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class HubEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void scansFromSeveralConnectionsAreDecidedAcknowledgedAndJournaledOnce() throws Exception {
        final int sources = 4;
        final int perSource = 5_000;
        final List<ScanSender> senders = new ArrayList<>();
        long planVersion;
        try (HubService hub = TestHub.start(dataDir)) {
            planVersion = hub.plans().current().version();
            final ExecutorService pool = Executors.newFixedThreadPool(sources);
            try {
                final List<Future<?>> sends = new ArrayList<>();
                for (int s = 1; s <= sources; s++) {
                    final ScanSender sender = new ScanSender(hub.scanPort(), s);
                    assertThat(sender.client.resumeSequence()).isZero();
                    senders.add(sender);
                    sends.add(pool.submit(() -> {
                        sender.send(1, perSource);
                        return null;
                    }));
                }
                for (Future<?> f : sends) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            for (ScanSender sender : senders) {
                sender.awaitAck(perSource, WAIT);
                Await.until(WAIT, () -> sender.decisionCount.get() == perSource,
                    () -> sender.decisionCount.get() + " decisions");
                assertThat(sender.error.get()).isNull();
                for (long seq = 1; seq <= perSource; seq++) {
                    final ScanSender.Reply reply = sender.decisions.get(seq);
                    assertThat(reply).as("decision for %d", seq).isNotNull();
                    assertThat(reply.outlet()).as("outlet of seq %d", seq).isEqualTo(ScanSender.expectedOutlet(seq));
                    assertThat(reply.planVersion()).isEqualTo(planVersion);
                }
                assertThat(sender.lastAck.get()).isEqualTo(perSource);
                sender.close();
            }
        }

        final List<Entry> journal = TestHub.readJournal(dataDir);
        assertThat(journal).hasSize(sources * perSource);
        final Map<Integer, List<Entry>> bySource = journal.stream().collect(Collectors.groupingBy(Entry::sourceId));
        assertThat(bySource).hasSize(sources);
        bySource.forEach((source, entries) -> {
            assertThat(entries).hasSize(perSource);
            for (int i = 0; i < perSource; i++) {
                final Entry e = entries.get(i);
                final long seq = i + 1;
                assertThat(e.sequence()).as("per-source order").isEqualTo(seq);
                assertThat(e.barcode()).isEqualTo(ScanSender.barcode(source, seq));
                assertThat(e.destination()).isEqualTo(ScanSender.destination(seq));
                assertThat(e.outlet()).isEqualTo(ScanSender.expectedOutlet(seq));
                assertThat(e.reason()).isIn(DecisionReason.RULE, DecisionReason.DEFAULT);
                assertThat(e.planVersion()).isEqualTo(planVersion);
            }
        });
    }

    @Test
    void healthReadyAndMetricsAnswerOverHttp() throws Exception {
        try (HubService hub = TestHub.start(dataDir); ScanSender sender = new ScanSender(hub.scanPort(), 9)) {
            sender.send(1, 10);
            sender.awaitAck(10, WAIT);
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final String base = "http://127.0.0.1:" + hub.httpPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(new io.vertx.core.json.JsonObject(health.body()).getString("status")).isEqualTo("UP");
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body())
                .contains("sorthub_scan_events_total{kind=\"sort_request\"} 10.0")
                .contains("sorthub_journal_appends_total 10.0")
                .contains("jvm_memory_used_bytes");
        }
    }
}
