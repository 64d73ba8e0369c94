package io.sorthub.hub.cleanroom;

import static io.sorthub.hub.cleanroom.JournalExport.range;
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

/**
 * Duplicates, replaced sessions and the default gap bound against one hub on its defaults,
 * from PROTOCOL.md ("Session", "Sequences", "Gaps") alone. Each test speaks for its own source.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResendAndDuplicateTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static HubProcess hub;
    static HubHttp http;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void startHub() throws Exception {
        hub = HubProcess.start(dir.resolve("data"));
        http = new HubHttp(hub.httpPort);
    }

    @AfterAll
    static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aResentDurableEventIsAnsweredDuplicateAndAcknowledgedAgainAtOnce() throws Exception {
        final int source = 101;
        final double answeredBefore = http.metric("sorthub_duplicates_answered_total");
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            assertThat(c.welcome.resumeSequence()).isZero();
            for (long s = 1; s <= 20; s++) {
                c.send(Wire.scan(source, s));
            }
            final List<Wire.Frame> first = c.untilAck(20, WAIT);
            assertThat(first.stream().filter(f -> f.type() == Wire.DECISION).map(Wire.Frame::decisionSequence))
                .as("every SCAN answered by exactly one DECISION, in order").containsExactlyElementsOf(range(1, 20));
            assertThat(first.stream().filter(f -> f.type() == Wire.DECISION).map(Wire.Frame::reason)).doesNotContain(Wire.REASON_DUPLICATE);

            for (long resent : new long[] {5, 20, 1}) {
                c.send(Wire.scan(source, resent));
                final Wire.Frame decision = c.next(WAIT);
                assertThat(decision.type()).as("answer to resent %d: %s", resent, decision).isEqualTo(Wire.DECISION);
                assertThat(decision.decisionSequence()).isEqualTo(resent);
                assertThat(decision.reason()).as("reason of resent %d", resent).isEqualTo(Wire.REASON_DUPLICATE);
                assertThat(decision.outlet()).isZero();
                // "acknowledged again (at once when it is durable already)": an ACK covering it follows
                c.untilAck(resent, WAIT);
            }
            assertThat(c.violations).isEmpty();
        }
        assertThat(http.metric("sorthub_duplicates_answered_total") - answeredBefore).isEqualTo(3);
        // journal export reads the journal while the hub runs (OPERATIONS.md, "Audit export")
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactlyElementsOf(range(1, 20));
    }

    @Test
    void aDuplicateSentBeforeTheFirstIsDurableIsStillJournaledOnce() throws Exception {
        final int source = 102;
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            // each sequence twice, back to back: the second arrives while the first is on its way to the journal
            for (long s = 1; s <= 200; s++) {
                c.send(Wire.scan(source, s));
                c.send(Wire.scan(source, s));
            }
            final List<Wire.Frame> frames = c.until(f -> f.type() == Wire.DECISION && f.decisionSequence() == 200
                && f.reason() == Wire.REASON_DUPLICATE, WAIT);
            final List<Wire.Frame> decisions = frames.stream().filter(f -> f.type() == Wire.DECISION).toList();
            assertThat(decisions).hasSize(400);
            for (int i = 0; i < 400; i += 2) {
                assertThat(decisions.get(i).decisionSequence()).isEqualTo(i / 2 + 1);
                assertThat(decisions.get(i).reason()).isNotEqualTo(Wire.REASON_DUPLICATE);
                assertThat(decisions.get(i + 1).decisionSequence()).isEqualTo(i / 2 + 1);
                assertThat(decisions.get(i + 1).reason()).isEqualTo(Wire.REASON_DUPLICATE);
                assertThat(decisions.get(i + 1).outlet()).isZero();
            }
            // "otherwise when it becomes so": nothing more is sent, the ACK of all of them comes
            if (c.highestAck.get() < 200) {
                c.untilAck(200, WAIT);
            }
            assertThat(c.violations).isEmpty();
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactlyElementsOf(range(1, 200));
    }

    @Test
    void aNewSessionOfTheSameSourceReplacesTheOldAndGetsDuplicateForWhatTheOldOneHadSent() throws Exception {
        final int source = 103;
        final int n = 3000;
        final WireClient old = WireClient.hello(hub.scanPort, source, WAIT);
        try (old) {
            for (long s = 1; s <= n; s++) {
                old.send(Wire.scan(source, s));
            }
            // the hub has taken at least the first half when the new session says HELLO
            old.until(f -> f.type() == Wire.DECISION && f.decisionSequence() >= n / 2, WAIT);
            final long ackSeenByOld = old.highestAck.get();
            try (WireClient fresh = WireClient.hello(hub.scanPort, source, WAIT)) {
                final List<Wire.Frame> oldEnd = old.untilClosed(WAIT);
                assertThat(oldEnd).isNotEmpty();
                final Wire.Frame error = oldEnd.get(oldEnd.size() - 1);
                assertThat(error.type()).as("last frame of the replaced session: %s", error).isEqualTo(Wire.ERROR);
                assertThat(error.errorCode()).isEqualTo(Wire.SESSION_REPLACED);
                final long decidedOnOld = old.received.stream().filter(f -> f.type() == Wire.DECISION)
                    .mapToLong(Wire.Frame::decisionSequence).max().orElseThrow();

                final long resume = fresh.welcome.resumeSequence();
                assertThat(resume).as("WELCOME never below an ACK the source saw").isGreaterThanOrEqualTo(ackSeenByOld);
                assertThat(resume).as("WELCOME never above the source's last sequence").isLessThanOrEqualTo(n);
                // the new session resends everything after the resume point, as a source does
                for (long s = resume + 1; s <= n; s++) {
                    fresh.send(Wire.scan(source, s));
                }
                if (resume < n) {
                    final List<Wire.Frame> answers = fresh.until(f -> f.type() == Wire.DECISION && f.decisionSequence() == n, WAIT);
                    final List<Wire.Frame> decisions = answers.stream().filter(f -> f.type() == Wire.DECISION).toList();
                    assertThat(decisions.stream().map(Wire.Frame::decisionSequence)).containsExactlyElementsOf(range(resume + 1, n));
                    for (Wire.Frame d : decisions) {
                        if (d.decisionSequence() <= decidedOnOld) {
                            assertThat(d.reason()).as("%s: taken by the replaced session", d).isEqualTo(Wire.REASON_DUPLICATE);
                            assertThat(d.outlet()).isZero();
                        }
                    }
                }
                // every resent one is acknowledged once durable, with nothing new sent (WELCOME counts as an ACK)
                if (Math.max(resume, fresh.highestAck.get()) < n) {
                    fresh.untilAck(n, WAIT);
                }
                fresh.send(Wire.scan(source, n + 1));
                final List<Wire.Frame> last = fresh.untilAck(n + 1, WAIT);
                assertThat(last.stream().filter(f -> f.type() == Wire.DECISION).map(Wire.Frame::reason).toList())
                    .containsExactly(1 /* RULE: the demo plan routes it */);
                assertThat(fresh.violations).isEmpty();
            }
            assertThat(old.violations).isEmpty();
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactlyElementsOf(range(1, n + 1));
    }

    @Test
    void theDefaultGapBoundIsOneMillion() throws Exception {
        final int source = 104;
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            // the hub holds nothing of this source (0): 1,000,000 above it is within the bound
            c.send(Wire.scan(source, 1_000_000));
            c.untilAck(1_000_000, WAIT);
            c.send(Wire.scan(source, 2_000_001));
            final List<Wire.Frame> end = c.untilClosed(WAIT);
            assertThat(end).isNotEmpty();
            final Wire.Frame error = end.get(end.size() - 1);
            assertThat(error.type()).as("%s", end).isEqualTo(Wire.ERROR);
            assertThat(error.errorCode()).isEqualTo(Wire.INVALID_FIELD);
            assertThat(error.errorMessage()).contains("2000001").contains("1000000");
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactly(1_000_000L);
    }

    @Test
    void aBarcodeOutsideThePrintableRangeIsRoutedToRejectNotDropped() throws Exception {
        final int source = 105;
        try (WireClient c = WireClient.hello(hub.scanPort, source, WAIT)) {
            c.send(Wire.scan(1, Wire.SORT_REQUEST, "S1", "AB\u0001CD", "100000", "acme"));
            c.send(Wire.scan(2, Wire.SORT_REQUEST, "S1", "AB CD", "100000", "acme")); // 0x20 is outside 0x21-0x7E too
            final List<Wire.Frame> frames = c.untilAck(2, WAIT);
            final List<Wire.Frame> decisions = frames.stream().filter(f -> f.type() == Wire.DECISION).toList();
            assertThat(decisions).hasSize(2);
            for (Wire.Frame d : decisions) {
                assertThat(d.reason()).as("%s", d).isEqualTo(5 /* INVALID_BARCODE */);
                assertThat(d.outlet()).as("the reject outlet").isNotZero();
            }
        }
        assertThat(JournalExport.of(hub.dataDir).scanSequences(source)).containsExactly(1L, 2L);
    }

    @Test
    void aHeartbeatIsEchoedWithTheSameTime() throws Exception {
        try (WireClient c = WireClient.hello(hub.scanPort, 106, WAIT)) {
            assertThat(c.welcome.welcomeSourceId()).isEqualTo(106);
            assertThat(c.welcome.maxFrameLength()).isEqualTo(1024);
            assertThat(c.welcome.heartbeatIntervalMs()).isEqualTo(5000);
            c.send(Wire.heartbeat(0x0123_4567_89AB_CDEFL));
            final Wire.Frame echo = c.next(WAIT);
            assertThat(echo.type()).as("%s", echo).isEqualTo(Wire.HEARTBEAT);
            assertThat(echo.heartbeatTime()).isEqualTo(0x0123_4567_89AB_CDEFL);
            assertThat(c.violations).isEmpty();
        }
    }

    @Test
    void durabilitySyncIsTheDefault() {
        assertThat(hub.output).anyMatch(line -> line.contains("durability sync"));
        assertThat(hub.output).noneMatch(line -> line.contains("pagecache"));
    }
}
