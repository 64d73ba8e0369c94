package io.sorthub.hub;

import io.sorthub.test.Await;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class ResendAndRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void resentDuplicatesAreAcknowledgedButJournaledOnceAcrossARestart() throws Exception {
        try (HubService hub = TestHub.start(dataDir); ScanSender first = new ScanSender(hub.scanPort(), 7)) {
            first.send(1, 1_000);
            first.awaitAck(1_000, WAIT);
        }
        // Restart on the same data folder: the resume point comes from the journal alone.
        try (HubService hub = TestHub.start(dataDir)) {
            assertThat(hub.replayedEvents()).isEqualTo(1_000);
            try (ScanSender again = new ScanSender(hub.scanPort(), 7)) {
                assertThat(again.client.resumeSequence()).isEqualTo(1_000);
                // A gateway that lost its ACKs resends 501..1000, then carries on to 1500.
                again.send(501, 1_500);
                again.awaitAck(1_500, WAIT);
                Await.until(WAIT, () -> again.decisionCount.get() == 1_000, () -> again.decisionCount + " decisions");
                for (long seq = 501; seq <= 1_000; seq++) {
                    assertThat(again.decisions.get(seq).reason()).isEqualTo(DecisionReason.DUPLICATE);
                }
                for (long seq = 1_001; seq <= 1_500; seq++) {
                    assertThat(again.decisions.get(seq).outlet()).isEqualTo(ScanSender.expectedOutlet(seq));
                }
            }
            // Another source is unaffected by source 7's history.
            try (ScanSender other = new ScanSender(hub.scanPort(), 8)) {
                assertThat(other.client.resumeSequence()).isZero();
            }
        }
        assertJournalHoldsOnce(TestHub.readJournal(dataDir), 7, 1_500);
    }

    @Test
    void reconnectWithoutRestartResumesFromTheDurablePoint() throws Exception {
        try (HubService hub = TestHub.start(dataDir)) {
            try (ScanSender first = new ScanSender(hub.scanPort(), 3)) {
                first.send(1, 300);
                first.awaitAck(300, WAIT);
            }
            try (ScanSender second = new ScanSender(hub.scanPort(), 3)) {
                assertThat(second.client.resumeSequence()).isEqualTo(300);
                second.send(1, 400); // resends everything: 300 duplicates, 100 new
                second.awaitAck(400, WAIT);
                Await.until(WAIT, () -> second.decisionCount.get() == 400, () -> second.decisionCount + " decisions");
                assertThat(second.decisions.values().stream()
                    .filter(r -> r.reason() == DecisionReason.DUPLICATE).count()).isEqualTo(300);
            }
        }
        assertJournalHoldsOnce(TestHub.readJournal(dataDir), 3, 400);
    }

    @Test
    void aNewSessionForTheSameSourceReplacesTheOldOne() throws Exception {
        try (HubService hub = TestHub.start(dataDir);
             ScanSender ghost = new ScanSender(hub.scanPort(), 5)) {
            ghost.send(1, 50);
            ghost.awaitAck(50, WAIT);
            try (ScanSender fresh = new ScanSender(hub.scanPort(), 5)) {
                Await.until(WAIT, () -> ghost.closed, () -> "old session still open");
                assertThat(ghost.error.get()).startsWith(ErrorCode.SESSION_REPLACED.name());
                fresh.send(51, 60);
                fresh.awaitAck(60, WAIT);
            }
        }
        assertJournalHoldsOnce(TestHub.readJournal(dataDir), 5, 60);
    }

    static void assertJournalHoldsOnce(List<Entry> journal, int sourceId, long count) {
        final List<Entry> mine = journal.stream().filter(e -> e.sourceId() == sourceId).toList();
        assertThat(mine).hasSize((int) count);
        for (int i = 0; i < count; i++) {
            assertThat(mine.get(i).sequence()).isEqualTo(i + 1);
            assertThat(mine.get(i).barcode()).isEqualTo(ScanSender.barcode(sourceId, i + 1));
        }
    }
}
