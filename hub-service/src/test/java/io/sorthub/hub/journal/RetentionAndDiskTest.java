package io.sorthub.hub.journal;

import io.sorthub.test.Exposition;
import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.protocol.DecisionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class RetentionAndDiskTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    /** The value of an unlabelled metric in the hub's Prometheus exposition. */
    static double metric(HubService hub, String name) {
        return Exposition.required(hub.metrics().scrape(), name, "the exposition");
    }

    private long cycleFiles() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void deletingOldCyclesKeepsSequencesPlanAndOutletStateThroughCheckpoints() throws Exception {
        final HubConfig config = TestHub.config(dataDir);
        config.journalRollCycle = "TEST_SECONDLY"; // a new cycle file every second
        config.retentionMaxBytes = 1;               // over budget: delete everything but the current cycle
        long sent = 0;
        try (HubService hub = HubService.start(config); ScanSender sender = new ScanSender(hub.scanPort(), 1)) {
            hub.control().installPlan(TestPlans.ONE_RULE, "test");
            hub.control().setOutlet(2, OutletStatus.DISABLED, "test");
            // The operations tables, made in the first cycle: their records go with it.
            assertThat(call(hub, "PUT", "/api/holds/SF-RECALLED", "{\"reason\": \"recall 12\"}").statusCode()).isEqualTo(200);
            assertThat(call(hub, "POST", "/api/holds", "SF-GONE\n").statusCode()).isEqualTo(200);
            assertThat(call(hub, "DELETE", "/api/holds/SF-GONE", null).statusCode()).isEqualTo(200);
            assertThat(call(hub, "POST", "/api/overrides", "{\"destination\": \"100\", \"outlet\": 90, \"minutes\": 60}")
                .statusCode()).isEqualTo(200);
            assertThat(call(hub, "PUT", "/api/outlets/1/bag", "{\"bagId\": \"BAG-OLD\"}").statusCode()).isEqualTo(200);
            // Keep sending until the journal spans at least three cycles, two of them begun while
            // sending (a slow start may have filled three cycles before the first scan).
            final long deadline = System.nanoTime() + WAIT.toNanos();
            final long untilCycles = Math.max(3, cycleFiles() + 2);
            do {
                sender.send(sent + 1, sent + 50);
                sent += 50;
                sender.awaitAck(sent, WAIT);
            } while (cycleFiles() < untilCycles && System.nanoTime() < deadline);
            assertThat(cycleFiles()).isGreaterThanOrEqualTo(3);
            final JournalRetention.Pass pass = hub.runRetention();
            assertThat(pass.deleted()).isGreaterThanOrEqualTo(2);
            assertThat(cycleFiles()).isEqualTo(1);
        }
        try (HubService hub = HubService.start(config)) {
            assertThat(hub.replayedEvents()).as("only the last cycle is left").isLessThan(sent);
            assertThat(hub.plans().current().name()).isEqualTo("one-rule");
            assertThat(hub.outlets().status(2)).isEqualTo(OutletStatus.DISABLED);
            assertThat(call(hub, "GET", "/api/holds/SF-RECALLED", null).body()).as("from the checkpoint").contains("recall 12");
            assertThat(call(hub, "GET", "/api/holds/SF-GONE", null).statusCode()).isEqualTo(404);
            assertThat(call(hub, "GET", "/api/overrides", null).body()).contains("\"destination\"").contains("\"100\"");
            final HttpResponse<String> bag = call(hub, "GET", "/api/bags/BAG-OLD", null);
            assertThat(bag.statusCode()).isEqualTo(200);
            assertThat(bag.body()).contains("\"outlet\"").doesNotContain("sealedAt\" : \"");
            try (ScanSender again = new ScanSender(hub.scanPort(), 1)) {
                assertThat(again.client.resumeSequence()).as("resume point from the checkpoint").isEqualTo(sent);
                again.send(1, 10); // from deleted cycles: still recognised as duplicates
                Await.until(WAIT, () -> again.decisionCount.get() == 10, () -> again.decisionCount + " decisions");
                assertThat(again.decisions.values()).allMatch(r -> r.reason() == DecisionReason.DUPLICATE);
            }
        }
    }

    private static HttpResponse<String> call(HubService hub, String method, String path, String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A pinned reader (the exporter) keeps cycles past their age, but not past the size budget. */
    @Test
    void aPinHoldsCyclesPastTheirAgeButNotPastTheSizeBudget() throws Exception {
        try (Journal journal = new Journal(dataDir.resolve("journal"), "TEST_SECONDLY");
             net.openhft.chronicle.queue.ExcerptAppender appender = journal.queue().createAppender()) {
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (cycleFiles() < 3 && System.nanoTime() < deadline) {
                appender.writeBytes(b -> b.writeLong(System.nanoTime())); // keep appending until 3 cycles exist
            }
            assertThat(cycleFiles()).isGreaterThanOrEqualTo(3);
            final long firstIndex = journal.queue().firstIndex();
            final long future = System.currentTimeMillis() + Duration.ofDays(30).toMillis(); // every cycle is old
            final JournalRetention byAge = new JournalRetention(journal, Duration.ofHours(1), 0, () -> future);
            byAge.pin("export-kafka", () -> firstIndex);
            assertThat(byAge.run().deleted()).as("old, but the reader has not read them").isZero();
            byAge.unpin("export-kafka");
            final JournalRetention bySize = new JournalRetention(journal, Duration.ofHours(1000), 1, () -> future);
            bySize.pin("export-kafka", () -> firstIndex);
            final long files = cycleFiles();
            assertThat(bySize.run().deleted()).as("over the size budget the pin gives way").isEqualTo(files - 1);
            assertThat(bySize.pinnedDeleted()).isEqualTo(files - 1);
        }
    }

    @Test
    void aNearlyFullDiskStopsAcceptingLoudlyAndResumesWithoutLosingAnything() throws Exception {
        final HubConfig config = TestHub.config(dataDir);
        config.minFreeDiskBytes = Long.MAX_VALUE; // no disk has this much free: blocked from the start
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (HubService hub = HubService.start(config); ScanSender sender = new ScanSender(hub.scanPort(), 8)) {
            final String base = "http://127.0.0.1:" + hub.httpPort();
            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"DOWN\"").contains("journal disk nearly full");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);

            sender.send(1, 20);
            Await.until(WAIT, () -> metric(hub, "sorthub_ingest_backpressure_total") >= 1,
                () -> "the connection should pause: " + metric(hub, "sorthub_ingest_backpressure_total"));
            assertThat(sender.decisionCount.get()).as("nothing accepted while the disk is full").isZero();
            assertThat(metric(hub, "sorthub_journal_accepting")).isEqualTo(0.0);
            assertThat(metric(hub, "sorthub_ingest_holds_total{cause=\"disk\"}")).as("held for the disk").isPositive();
            assertThat(metric(hub, "sorthub_ingest_holds_total{cause=\"queue\"}")).as("not for the queue").isZero();

            hub.disk().minFreeBytes(0);
            hub.disk().check();
            sender.awaitAck(20, WAIT);
            assertThat(sender.decisionCount.get()).isEqualTo(20);
            assertThat(metric(hub, "sorthub_journal_accepting")).isEqualTo(1.0);
        }
        assertThat(TestHub.readJournal(dataDir)).hasSize(20);
    }
}
