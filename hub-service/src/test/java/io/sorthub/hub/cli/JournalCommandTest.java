package io.sorthub.hub.cli;

import io.sorthub.test.StandardStreams;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.HubService;
import io.sorthub.hub.outlet.OutletStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hub-service journal export|stats} on a journal a real hub wrote. */
@Timeout(60)
class JournalCommandTest {
    @TempDir
    Path dir;
    private Instant written;

    @BeforeEach
    void writeJournal() throws Exception {
        try (HubService hub = TestHub.start(dir); ScanSender sender = new ScanSender(hub.scanPort(), 6)) {
            sender.send(1, 30);
            sender.awaitAck(30, Duration.ofSeconds(20));
            hub.control().setOutlet(5, OutletStatus.FULL, "tester");
        }
        written = Instant.now();
    }

    private int run(PrintStream out, PrintStream err, String... args) {
        return StandardStreams.capture(out, err, () -> new CommandLine(new HubMain()).execute(args));
    }

    private static PrintStream sink(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void exportOneParcelAsJsonLinesToAFile() throws Exception {
        final Path out = dir.resolve("audit.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = run(sink(new ByteArrayOutputStream()), sink(err), "journal", "export", "--data-dir", dir.toString(),
            "--barcode", ScanSender.barcode(6, 7), "--format", "jsonl", "--out", out.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(Files.exists(dir.resolve("audit.jsonl.partial"))).isFalse();
        final List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1);
        final JsonObject row = new JsonObject(lines.get(0));
        assertThat(row.getString("record")).isEqualTo("scan");
        assertThat(row.getInteger("source")).isEqualTo(6);
        assertThat(row.getLong("sequence")).isEqualTo(7);
        assertThat(row.getString("barcode")).isEqualTo(ScanSender.barcode(6, 7));
        assertThat(row.getString("destination")).isEqualTo(ScanSender.destination(7));
        assertThat(row.getInteger("outlet")).isEqualTo(ScanSender.expectedOutlet(7));
        assertThat(row.getString("kind")).isEqualTo("sort_request");
        assertThat(err.toString()).contains("exported 1 of");
    }

    @Test
    void exportEverythingAsCsvIncludesTheOperatorActionAndThePlan() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = run(sink(out), sink(new ByteArrayOutputStream()), "journal", "export", "--data-dir", dir.toString(),
            "--format", "csv", "--to", written.plusSeconds(60).toString());
        assertThat(exit).isZero();
        final List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("record,journal_index,received_at,source,sequence,kind");
        assertThat(lines.stream().filter(l -> l.startsWith("scan,")).count()).isEqualTo(30);
        // the demo plan put in force at start, and again in the cycle's checkpoint
        assertThat(lines.stream().filter(l -> l.startsWith("plan,")).count()).isEqualTo(2);
        assertThat(lines.stream().filter(l -> l.startsWith("checkpoint,")).count()).isEqualTo(1);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("outlet_state,").contains(",5,full,").contains(",tester,"));
    }

    @Test
    void aTimeWindowBeforeTheEventsExportsNothing() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(sink(out), sink(new ByteArrayOutputStream()), "journal", "export", "--data-dir", dir.toString(),
            "--from", "2020-01-01", "--to", "2020-01-02T00:00:00Z")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void statsSummariseTheJournal() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(sink(out), sink(new ByteArrayOutputStream()), "journal", "stats", "--data-dir", dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("scan events: 30 from 1 sources; operator outlet changes: 1; plan records: 2; checkpoints: 1")
            .contains("sort_request=30");
    }

    @Test
    void badArgumentsAreNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(sink(new ByteArrayOutputStream()), sink(err), "journal", "export", "--data-dir", dir.toString(),
            "--from", "last tuesday")).isEqualTo(2);
        assertThat(err.toString()).contains("--from 'last tuesday' is not a time");
        err = new ByteArrayOutputStream();
        assertThat(run(sink(new ByteArrayOutputStream()), sink(err), "journal", "export", "--data-dir", dir.toString(),
            "--from", "2026-11-23", "--to", "2026-11-22")).isEqualTo(2);
        assertThat(err.toString()).contains("is not before --to");
        err = new ByteArrayOutputStream();
        assertThat(run(sink(new ByteArrayOutputStream()), sink(err), "journal", "stats", "--data-dir",
            dir.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no journal at");
        err = new ByteArrayOutputStream();
        assertThat(run(sink(new ByteArrayOutputStream()), sink(err), "journal", "export", "--format", "xml")).isNotZero();
        assertThat(err.toString()).contains("xml");
    }
}
