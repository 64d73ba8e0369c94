package io.sorthub.hub.cleanroom;

import io.sorthub.test.Await;
import static io.sorthub.hub.cleanroom.JournalExport.range;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md "Session" 2 (WELCOME's resume point) across an orderly restart, and OPERATIONS.md
 * "A source's numbering went back" (the reset procedure), checked on the wire, over HTTP and
 * with {@code journal export} / {@code journal stats}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartAndResetTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static void send(WireClient c, int source, long from, long to) throws Exception {
        for (long s = from; s <= to; s++) {
            c.send(Wire.scan(source, s));
        }
    }

    private static List<Wire.Frame> decisions(List<Wire.Frame> frames) {
        return frames.stream().filter(f -> f.type() == Wire.DECISION).toList();
    }

    @Test
    void welcomeResumesAtWhatTheJournalHoldsAfterARestartAndResentEventsAreNotJournaledTwice() throws Exception {
        final Path data = dir.resolve("data");
        final long acked;
        try (HubProcess hub = HubProcess.start(data)) {
            try (WireClient a = WireClient.hello(hub.scanPort, 501, WAIT); WireClient b = WireClient.hello(hub.scanPort, 502, WAIT)) {
                send(a, 501, 1, 50);
                send(b, 502, 1, 5);
                a.untilAck(50, WAIT);
                b.untilAck(5, WAIT);
                acked = a.highestAck.get();
                hub.stop(WAIT);
            }
        }
        final HubProcess.Result stats = HubProcess.run(WAIT, "journal", "stats", "--data-dir", data.toString());
        assertThat(stats.status()).isZero();
        assertThat(stats.stdout()).contains("scan events: 55 from 2 sources");

        try (HubProcess hub = HubProcess.start(data)) {
            assertThat(hub.output).as("the start says how many events it replayed").anyMatch(l -> l.contains("replayed 55 events"));
            try (WireClient a = WireClient.hello(hub.scanPort, 501, WAIT); WireClient b = WireClient.hello(hub.scanPort, 502, WAIT)) {
                assertThat(a.welcome.resumeSequence()).as("never below an ACK seen").isGreaterThanOrEqualTo(acked).isEqualTo(50);
                assertThat(b.welcome.resumeSequence()).isEqualTo(5);
                // a source that missed the last ACKs resends: duplicates across the restart
                send(a, 501, 41, 50);
                final List<Wire.Frame> resent = decisions(a.until(f -> f.type() == Wire.DECISION && f.decisionSequence() == 50, WAIT));
                assertThat(resent.stream().map(Wire.Frame::decisionSequence)).containsExactlyElementsOf(range(41, 50));
                assertThat(resent).allSatisfy(d -> {
                    assertThat(d.reason()).isEqualTo(Wire.REASON_DUPLICATE);
                    assertThat(d.outlet()).isZero();
                });
                a.untilAck(50, WAIT);
                send(a, 501, 51, 60);
                assertThat(decisions(a.untilAck(60, WAIT))).noneMatch(d -> d.reason() == Wire.REASON_DUPLICATE);
                assertThat(a.violations).isEmpty();
                assertThat(b.violations).isEmpty();
            }
            hub.stop(WAIT);
        }
        final JournalExport journal = JournalExport.of(data);
        assertThat(journal.scanSequences(501)).containsExactlyElementsOf(range(1, 60));
        assertThat(journal.scanSequences(502)).containsExactlyElementsOf(range(1, 5));
        assertThat(HubProcess.run(WAIT, "journal", "stats", "--data-dir", data.toString()).stdout()).contains("scan events: 65 from 2 sources");
    }

    @Test
    void aSourceResetStartsItAgainAtOneAndSurvivesARestart() throws Exception {
        final Path data = dir.resolve("data");
        final int source = 511;
        final int streaming = 512;
        final long decidedBeforeReset;
        final long ackedBeforeReset;
        try (HubProcess hub = HubProcess.start(data)) {
            final HubHttp http = new HubHttp(hub.httpPort);
            try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
                send(c, source, 1, 20);
                c.untilAck(20, WAIT);
            }
            // the source's spool is wiped: it starts again at 1, below what the hub holds
            try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
                assertThat(c.welcome.resumeSequence()).isEqualTo(20);
                send(c, source, 1, 3);
                final List<Wire.Frame> frames = c.until(f -> f.type() == Wire.DECISION && f.decisionSequence() == 3, WAIT);
                c.untilAck(3, WAIT);
                assertThat(decisions(frames)).as("every new event is answered DUPLICATE").hasSize(3)
                    .allMatch(d -> d.reason() == Wire.REASON_DUPLICATE);
                final JsonNode listed = Await.value("source listed at 20, connected", WAIT, () -> {
                    final JsonNode n = http.source(source);
                    return n != null && n.path("sequence").asLong() == 20 && n.path("connected").asBoolean() ? n : null;
                });
                assertThat(listed).isNotNull();

                final var reset = http.post("/api/sources/" + source + "/reset");
                assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
                // "The hub closes the source's session"
                final List<Wire.Frame> end = c.untilClosed(WAIT);
                assertThat(end).isNotEmpty();
                final Wire.Frame error = end.get(end.size() - 1);
                assertThat(error.type()).as("%s", end).isEqualTo(Wire.ERROR);
                assertThat(error.errorCode()).isEqualTo(Wire.UNAVAILABLE);
                assertThat(c.violations).isEmpty();
            }
            final JsonNode afterReset = Await.value("GET /api/sources: source " + source + " at 0 and not connected", WAIT, () -> {
                final JsonNode n = http.source(source);
                return n != null && n.path("sequence").asLong() == 0 && !n.path("connected").asBoolean() ? n : null;
            });
            assertThat(afterReset).isNotNull();
            assertThat(http.post("/api/sources/599/reset").statusCode()).as("a source the hub never saw").isEqualTo(404);

            // a reset while the source streams: what it had queued is journaled before the reset record
            try (WireClient c = WireClient.hello(hub.scanPort, streaming, WAIT)) {
                send(c, streaming, 1, 3000);
                c.until(f -> f.type() == Wire.DECISION && f.decisionSequence() >= 1500, WAIT);
                assertThat(http.post("/api/sources/" + streaming + "/reset").statusCode()).isEqualTo(200);
                c.untilClosed(WAIT);
                decidedBeforeReset = c.received.stream().filter(f -> f.type() == Wire.DECISION).mapToLong(Wire.Frame::decisionSequence).max().orElseThrow();
                ackedBeforeReset = c.highestAck.get();
            }

            try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
                assertThat(c.welcome.resumeSequence()).as("after a reset WELCOME says 0").isZero();
                send(c, source, 1, 5);
                final List<Wire.Frame> frames = c.untilAck(5, WAIT);
                assertThat(decisions(frames).stream().map(Wire.Frame::decisionSequence)).containsExactlyElementsOf(range(1, 5));
                assertThat(decisions(frames)).noneMatch(d -> d.reason() == Wire.REASON_DUPLICATE);
                final JsonNode listed = Await.value("source listed at 5, connected", WAIT, () -> {
                    final JsonNode n = http.source(source);
                    return n != null && n.path("sequence").asLong() == 5 && n.path("connected").asBoolean() ? n : null;
                });
                assertThat(listed).isNotNull();
            }
            hub.stop(WAIT);
        }
        try (HubProcess hub = HubProcess.start(data)) {
            try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
                assertThat(c.welcome.resumeSequence()).as("replay honours the reset").isEqualTo(5);
                c.send(Wire.scan(source, 3));
                final Wire.Frame dup = c.next(WAIT);
                assertThat(dup.decisionSequence()).isEqualTo(3);
                assertThat(dup.reason()).isEqualTo(Wire.REASON_DUPLICATE);
                c.send(Wire.scan(source, 6));
                c.untilAck(6, WAIT);
            }
            assertThat(new HubHttp(hub.httpPort).source(source).path("sequence").asLong()).isEqualTo(6);
            hub.stop(WAIT);
        }
        final JournalExport journal = JournalExport.of(data);
        final List<String> expected = new ArrayList<>();
        range(1, 20).forEach(s -> expected.add("scan " + s));
        expected.add("source_reset 20"); // the wiped spool's 1..3 were duplicates: not journaled
        range(1, 6).forEach(s -> expected.add("scan " + s));
        assertThat(journal.sourceHistory(source)).containsExactlyElementsOf(expected);
        final JsonNode resetRecord = journal.records.stream()
            .filter(n -> "source_reset".equals(n.path("record").asText()) && n.path("source").asInt() == source).findFirst().orElseThrow();
        assertThat(resetRecord.path("actor").asText()).as("who reset it").isNotBlank();
        final int resetAt = journal.records.indexOf(resetRecord);
        assertThat(journal.records.subList(resetAt, journal.records.size()))
            .as("an audit record follows the reset record").anyMatch(n -> "audit".equals(n.path("record").asText()));

        final List<String> streamed = journal.sourceHistory(streaming);
        assertThat(streamed).as("the streaming source's records end with its reset").isNotEmpty();
        assertThat(streamed.get(streamed.size() - 1)).startsWith("source_reset ");
        final long highWater = Long.parseLong(streamed.get(streamed.size() - 1).substring("source_reset ".length()));
        final List<String> scans = new ArrayList<>();
        range(1, highWater).forEach(s -> scans.add("scan " + s));
        assertThat(streamed.subList(0, streamed.size() - 1)).as("1..high-water mark, then the reset").containsExactlyElementsOf(scans);
        assertThat(highWater).as("every SCAN decided before the reset is journaled before it").isGreaterThanOrEqualTo(decidedBeforeReset);
        assertThat(ackedBeforeReset).isLessThanOrEqualTo(highWater);
    }
}
