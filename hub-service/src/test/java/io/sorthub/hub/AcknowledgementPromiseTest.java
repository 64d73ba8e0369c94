package io.sorthub.hub;

import io.sorthub.test.StandardStreams;
import io.sorthub.test.Await;
import io.sorthub.hub.cli.HubMain;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.hub.journal.ChronicleJournalWriter;
import io.sorthub.hub.journal.CycleFileCheck;
import io.sorthub.hub.journal.DataFolderLock;
import io.sorthub.hub.journal.Durability;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.AuditRecord;
import io.sorthub.hub.journal.FaultyJournalWriter;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.client.HubClient;
import io.vertx.core.json.JsonObject;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Acknowledged means journaled, exactly once", at the edges where it used to break: a kill
 * during journal roll-over, a failing writer, two hubs on one folder, a source whose numbering
 * went back, and an orderly stop. Real hubs on 127.0.0.1, real journals on disk.
 */
@Timeout(120)
class AcknowledgementPromiseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aSecondHubOnTheSameDataFolderIsRefusedNamingTheHolder() throws Exception {
        try (HubService first = TestHub.start(dir)) {
            assertThatThrownBy(() -> TestHub.start(dir)).isInstanceOf(DataFolderLock.InUseException.class)
                .hasMessageContaining("is in use by hub-service pid " + ProcessHandle.current().pid())
                .hasMessageContaining(dir.toAbsolutePath().toString());
            assertThat(first.isReady()).isTrue();
        }
        try (HubService again = TestHub.start(dir)) {
            assertThat(again.isReady()).as("the lock went with the first hub").isTrue();
        }
    }

    /** The cycle file a writer killed during roll-over leaves: full size, all zeros, no header. */
    private static Path headerlessCycleFileAfter(Path journalDir) throws IOException {
        final Path last;
        try (Stream<Path> files = Files.list(journalDir)) {
            last = files.filter(p -> p.toString().endsWith(".cq4")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        final DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'T'");
        final String stamp = last.getFileName().toString().replace(".cq4", "");
        final Path next = journalDir.resolve(format.format(LocalDateTime.parse(stamp, format).plusSeconds(1)) + ".cq4");
        try (RandomAccessFile file = new RandomAccessFile(next.toFile(), "rw")) {
            file.setLength(Files.size(last));
        }
        return next;
    }

    @Test
    void aCycleFileLeftWithoutHeaderByAKillDuringRollOverIsSetAsideAndNoAcknowledgedEventIsLost() throws Exception {
        final HubConfig config = TestHub.config(dir);
        config.journalRollCycle = "TEST_SECONDLY";
        try (HubService hub = HubService.start(config); ScanSender sender = new ScanSender(hub.scanPort(), 1)) {
            sender.send(1, 100);
            sender.awaitAck(100, WAIT);
        }
        final Path broken = headerlessCycleFileAfter(dir.resolve("journal"));
        try (HubService hub = HubService.start(config); ScanSender sender = new ScanSender(hub.scanPort(), 1)) {
            assertThat(sender.client.resumeSequence()).isEqualTo(100);
            sender.send(101, 200);
            sender.awaitAck(200, WAIT);
        }
        assertThat(CycleFileCheck.scan(dir.resolve("journal"))).as("every cycle file opens").isEmpty();
        try (Stream<Path> aside = Files.list(dir.resolve(CycleFileCheck.QUARANTINE))) {
            assertThat(aside).singleElement().satisfies(p ->
                assertThat(p.getFileName().toString()).startsWith(broken.getFileName().toString()));
        }
        // The acknowledged events after the broken file are replayed: WELCOME never goes below an ACK.
        try (HubService hub = HubService.start(config);
             HubClient client = HubClient.connect("127.0.0.1", hub.scanPort(), 1, "t", "", WAIT)) {
            assertThat(client.resumeSequence()).isEqualTo(200);
        }
        assertThat(TestHub.readJournal(dir, "TEST_SECONDLY")).extracting(Entry::sequence)
            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList());
    }

    /** A journal of three one-second cycles: records, then a header-less file, then records. */
    private Path journalWithAHeaderlessFileBetweenRecords() throws IOException {
        final Path journalDir = dir.resolve("journal");
        final SetTimeProvider time = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);
        try (Journal journal = new Journal(journalDir, "TEST_SECONDLY", time);
             ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.SYNC)) {
            writer.append(AuditRecord.encode("t", "first", 1));
            time.advanceMillis(2_000);
            writer.append(AuditRecord.encode("t", "after the gap", 2));
        }
        final Path gap = journalDir.resolve("20231114-221321T.cq4"); // the second between the two
        try (RandomAccessFile file = new RandomAccessFile(gap.toFile(), "rw")) {
            file.setLength(83_886_080);
        }
        return gap;
    }

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return StandardStreams.capture(out, err, () -> new CommandLine(new HubMain()).execute(args));
    }

    @Test
    void journalCommandsRefuseAJournalTheyCannotReadWholeAndRepairSetsTheLeftoverAside() throws Exception {
        final Path gap = journalWithAHeaderlessFileBetweenRecords();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(out, err, "journal", "stats", "--data-dir", dir.toString())).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(gap.getFileName().toString()).contains("journal repair")
            .doesNotContain("\tat ").hasLineCount(1);
        err.reset();
        assertThat(run(out, err, "journal", "export", "--data-dir", dir.toString())).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no prefix passed off as the journal").isEmpty();

        assertThat(run(out, err, "journal", "repair", "--data-dir", dir.toString())).isZero();
        assertThat(gap).doesNotExist();
        out.reset();
        assertThat(run(out, err, "journal", "stats", "--data-dir", dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 cycle files");
    }

    @Test
    void replayThatCannotReachTheEndOfTheJournalFailsInsteadOfStoppingSilently() throws Exception {
        journalWithAHeaderlessFileBetweenRecords();
        // Bypassing the file check: the reader's own end-of-journal check is the last line of defence.
        try (Journal journal = new Journal(dir.resolve("journal"), "TEST_SECONDLY");
             JournalReader reader = new JournalReader(journal)) {
            final AtomicInteger seen = new AtomicInteger();
            assertThatThrownBy(() -> reader.readAllOrFail((i, r) -> seen.incrementAndGet()))
                .isInstanceOf(JournalReader.IncompleteReadException.class)
                .hasMessageContaining("reading stopped after index").hasMessageContaining("20231114-221322T.cq4");
            assertThat(seen.get()).isEqualTo(1);
        }
    }

    @Test
    void aCycleFileWithDataButNoHeaderIsDamageTheHubRefusesToStartOn() throws Exception {
        final Path gap = journalWithAHeaderlessFileBetweenRecords();
        Files.delete(gap);
        final Path last = dir.resolve("journal").resolve("20231114-221322T.cq4");
        try (RandomAccessFile file = new RandomAccessFile(last.toFile(), "rw")) {
            file.writeInt(0); // header word gone, records still there
        }
        final HubConfig config = TestHub.config(dir);
        config.journalRollCycle = "TEST_SECONDLY";
        assertThatThrownBy(() -> HubService.start(config)).isInstanceOf(IOException.class)
            .hasMessageContaining(last.toAbsolutePath().toString()).hasMessageContaining("damaged");
        assertThat(last).exists();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(new ByteArrayOutputStream(), err, "journal", "repair", "--data-dir", dir.toString())).isEqualTo(3);
        assertThat(last).exists();
    }

    @Test
    void aWriterFailureIsFailStopNothingAfterItIsAcknowledgedAndSourcesAreToldWhy() throws Exception {
        final HubConfig config = TestHub.config(dir);
        try (HubService hub = HubService.start(new HubContext(config)
            .aroundJournalWriter(w -> new FaultyJournalWriter(w, () -> 0).failingAt(151)));
             ScanSender sender = new ScanSender(hub.scanPort(), 2)) {
            try {
                sender.send(1, 2_000);
            } catch (IOException closedUnderUs) {
                // the hub closes the session while we send: expected
            }
            Await.until(WAIT, () -> sender.closed, () -> "session not closed; error " + sender.error.get());
            assertThat(sender.error.get()).startsWith("UNAVAILABLE").contains("journal writer failed");
            assertThat(sender.lastAck.get()).as("no ACK covers the failed event 151").isLessThan(151);
            assertThat(hub.isReady()).isFalse();
            assertThat(hub.metrics().scrape()).contains("sorthub_journal_writer_up 0.0");
            final HttpResponse<String> health = get(hub.httpPort(), "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("journal writer failed");
            assertThatThrownBy(() -> HubClient.connect("127.0.0.1", hub.scanPort(), 3, "late", "", WAIT))
                .hasMessageContaining("UNAVAILABLE");
        }
        try (HubService hub = TestHub.start(dir);
             HubClient client = HubClient.connect("127.0.0.1", hub.scanPort(), 2, "t", "", WAIT)) {
            assertThat(client.resumeSequence()).isEqualTo(150);
        }
        assertThat(TestHub.readJournal(dir)).extracting(Entry::sequence)
            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 150).boxed().toList());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSourceWhoseNumberingWentBackIsStartedAgainByAnOperatorAndTheJournalRemembers() throws Exception {
        try (HubService hub = TestHub.start(dir)) {
            try (ScanSender before = new ScanSender(hub.scanPort(), 5)) {
                before.send(1_000_000, 1_000_000); // the hub now holds 1,000,000 for source 5
                before.awaitAck(1_000_000, WAIT);
            }
            // A gateway with a wiped spool numbers from 1 again: every read would be a "duplicate".
            final ScanSender wiped = new ScanSender(hub.scanPort(), 5);
            wiped.send(1, 1);
            Await.until(WAIT, () -> wiped.decisions.containsKey(1L), () -> "no decision");
            assertThat(wiped.decisions.get(1L).reason()).isEqualTo(io.sorthub.protocol.DecisionReason.DUPLICATE);

            final HttpResponse<String> reset = post(hub.httpPort(), "/api/sources/5/reset");
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            assertThat(new JsonObject(reset.body()).getLong("previousSequence")).isEqualTo(1_000_000);
            Await.until(WAIT, () -> wiped.closed, () -> "the live session was not closed");
            assertThat(wiped.error.get()).startsWith("UNAVAILABLE").contains("reset");
            wiped.close();

            try (ScanSender again = new ScanSender(hub.scanPort(), 5)) {
                assertThat(again.client.resumeSequence()).isZero();
                again.send(1, 10);
                again.awaitAck(10, WAIT);
                assertThat(again.decisions.get(1L).reason()).isNotEqualTo(io.sorthub.protocol.DecisionReason.DUPLICATE);
            }
            assertThat(post(hub.httpPort(), "/api/sources/77/reset").statusCode()).isEqualTo(404);
            assertThat(get(hub.httpPort(), "/api/sources").body()).contains("\"sourceId\" : 5").contains("\"sequence\" : 10");
        }
        try (HubService hub = TestHub.start(dir);
             HubClient client = HubClient.connect("127.0.0.1", hub.scanPort(), 5, "t", "", WAIT)) {
            assertThat(client.resumeSequence()).as("replay honours the reset").isEqualTo(10);
        }
        assertThat(TestHub.readJournal(dir)).filteredOn(e -> e.sourceId() == 5).extracting(Entry::sequence)
            .containsExactlyElementsOf(Stream.concat(Stream.of(1_000_000L),
                java.util.stream.LongStream.rangeClosed(1, 10).boxed()).toList());
    }

    @Test
    void anOrderlyStopAcknowledgesEverythingJournaledAndTellsSourcesWhy() throws Exception {
        final ChildHub child = new ChildHub(dir);
        final ScanSender sender = new ScanSender(child.scanPort, 3);
        final Thread streaming = new Thread(() -> {
            try {
                sender.send(1, 200_000);
            } catch (IOException closed) {
                // the hub stops while we stream
            }
        }, "streaming");
        streaming.start();
        sender.awaitAck(2_000, WAIT);
        child.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close its output pipe)
        assertThat(child.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(child.process.exitValue()).as("exit code; output: %s", child.output).isEqualTo(143);
        streaming.join(WAIT.toMillis());
        Await.until(WAIT, () -> sender.closed, () -> "not closed");
        try {
            sender.close();
        } catch (IOException alreadyGone) {
            // the hub closed the connection: nothing left to flush
        }
        assertThat(sender.error.get()).isEqualTo(ErrorCode.UNAVAILABLE + ": hub-service is stopping; reconnect to resume");
        final List<Long> journaled = TestHub.readJournal(dir).stream().map(Entry::sequence).toList();
        assertThat(journaled).containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, journaled.size()).boxed().toList());
        assertThat(sender.lastAck.get()).as("every journaled event acknowledged before the goodbye")
            .isEqualTo(journaled.size());
        Await.until(WAIT, () -> child.output.stream().anyMatch(line -> line.contains(
            "hub-service stopped: 1 sessions given their final ACK")), () -> "no shutdown line in " + child.output);
    }
}
