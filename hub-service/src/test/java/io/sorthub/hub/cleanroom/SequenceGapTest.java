package io.sorthub.hub.cleanroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PROTOCOL.md "Gaps", against a hub whose config sets {@code maxSequenceGap: 100}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SequenceGapTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GAP_TRIPS = "sorthub_limit_trips_total{limit=\"max_sequence_gap\"}";

    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void startHub() throws Exception {
        hub = HubProcess.start(dir.resolve("data"), "--config", HubProcess.writeConfig(dir, "maxSequenceGap: 100\n").toString());
        http = new HubHttp(hub.httpPort);
    }

    @AfterAll
    static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void gapsWithinTheBoundAreAcceptedAndTheAckCoversThem() throws Exception {
        final int source = 301;
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            c.send(Wire.scan(source, 1));
            c.send(Wire.scan(source, 50));
            c.send(Wire.scan(source, 150)); // exactly 100 above what the hub holds
            final List<Wire.Frame> frames = c.untilAck(150, WAIT);
            assertThat(frames.stream().filter(f -> f.type() == Wire.DECISION).map(Wire.Frame::decisionSequence)).containsExactly(1L, 50L, 150L);
            assertThat(frames.stream().filter(f -> f.type() == Wire.DECISION).map(Wire.Frame::reason)).doesNotContain(Wire.REASON_DUPLICATE);
            // a skipped number sent later is at or below what the hub holds: a duplicate, not journaled
            c.send(Wire.scan(source, 100));
            final Wire.Frame late = c.next(WAIT);
            assertThat(late.decisionSequence()).isEqualTo(100);
            assertThat(late.reason()).isEqualTo(Wire.REASON_DUPLICATE);
            c.untilAck(100, WAIT);
            assertThat(c.violations).isEmpty();
        }
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            assertThat(c.welcome.resumeSequence()).isEqualTo(150);
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactly(1L, 50L, 150L);
    }

    @Test
    void aJumpBeyondTheBoundIsRefusedWithInvalidFieldAndNothingOfItIsJournaled() throws Exception {
        final int source = 302;
        // this series appears at the first trip (the other limits are exported at 0 from the start)
        final double tripsBefore = http.metricOrZero(GAP_TRIPS);
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            c.send(Wire.scan(source, 1));
            c.untilAck(1, WAIT);
            c.send(Wire.scan(source, 102)); // 101 above
            final List<Wire.Frame> end = c.untilClosed(WAIT);
            assertThat(end).noneMatch(f -> f.type() == Wire.DECISION);
            assertThat(end).isNotEmpty();
            final Wire.Frame error = end.get(end.size() - 1);
            assertThat(error.type()).as("%s", end).isEqualTo(Wire.ERROR);
            assertThat(error.errorCode()).isEqualTo(Wire.INVALID_FIELD);
            assertThat(error.errorSequence()).isEqualTo(102);
            assertThat(error.errorMessage()).as("naming both numbers").containsPattern("\\b102\\b").containsPattern("\\b1\\b");
            assertThat(c.violations).isEmpty();
        }
        assertThat(http.metric(GAP_TRIPS) - tripsBefore).isEqualTo(1);
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            assertThat(c.welcome.resumeSequence()).isEqualTo(1);
            c.send(Wire.scan(source, 101));
            c.untilAck(101, WAIT);
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactly(1L, 101L);
    }

    @Test
    void aNewSourceMayStartAtMostTheBoundAboveZero() throws Exception {
        final int source = 303;
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            c.send(Wire.scan(source, 101));
            final List<Wire.Frame> end = c.untilClosed(WAIT);
            assertThat(end).hasSize(1);
            assertThat(end.get(0).errorCode()).isEqualTo(Wire.INVALID_FIELD);
        }
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            assertThat(c.welcome.resumeSequence()).isZero();
            c.send(Wire.scan(source, 100));
            c.untilAck(100, WAIT);
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactly(100L);
    }
}
