package io.sorthub.gateway.spool;

import io.sorthub.test.Await;
import io.sorthub.test.Mappings;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The spool numbers, survives a reopen, resumes from any point, and reclaims only acknowledged cycles. */
class SpoolTest {
    @TempDir
    Path dir;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);

    private long append(Spool spool, String barcode) {
        return append(spool, barcode, System.currentTimeMillis());
    }

    private long append(Spool spool, String barcode, long nowMs) {
        final int length = new ScanFlyweight().wrapForEncode(frame, 0).kind(EventKind.SORT_REQUEST)
            .strings("T", barcode, "518", "").frameLength();
        return spool.append(frame, length, nowMs);
    }

    private long files() throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void theCycleFileTheSpoolAppendsToIsMappedForRandomAccess() throws Exception {
        assumeTrue(Mappings.available(), "Linux only");
        try (Spool spool = new Spool(dir, "FAST_HOURLY")) {
            append(spool, "B1");
            // rr: a page fault on the event loop brings in its page, not read_ahead_kb of zeroed holes
            assertThat(Mappings.ofFiles(dir, ".cq4")).as("the spool's cycle file mappings").isNotEmpty()
                .anyMatch(m -> m.has("rr"));
        }
    }

    @Test
    void numbersInOrderResumesAfterAnyPointAndSurvivesAReopen() throws Exception {
        try (Spool spool = new Spool(dir, "FAST_HOURLY")) {
            for (int i = 1; i <= 100; i++) {
                assertThat(append(spool, "B" + i)).isEqualTo(i);
            }
        }
        try (Spool spool = new Spool(dir, "FAST_HOURLY")) {
            assertThat(spool.lastSequence()).isEqualTo(100);
            assertThat(append(spool, "B101")).isEqualTo(101);
            spool.seekAfter(97);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
            final long[] at = new long[1];
            final ScanFlyweight scan = new ScanFlyweight();
            for (long expected = 98; expected <= 101; expected++) {
                assertThat(spool.next(out, at)).isPositive();
                scan.wrap(out, 0);
                assertThat(scan.sequence()).isEqualTo(expected);
                assertThat(at[0]).isPositive();
            }
            assertThat(spool.next(out, at)).isZero();
        }
    }

    @Test
    void peekTimeIsTheSpoolTimeOfTheNextEventWithoutConsumingIt() throws Exception {
        try (Spool spool = new Spool(dir, "FAST_HOURLY")) {
            assertThat(spool.peekTime()).isEqualTo(-1);
            assertThat(spool.firstSequence()).isZero();
            append(spool, "B1", 1_000);
            append(spool, "B2", 2_000);
            assertThat(spool.firstSequence()).isEqualTo(1);
            spool.seekAfter(1);
            assertThat(spool.peekTime()).isEqualTo(2_000);
            assertThat(spool.peekTime()).as("not consumed").isEqualTo(2_000);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
            assertThat(spool.next(out, new long[1])).isPositive();
            assertThat(new ScanFlyweight().wrap(out, 0).sequence()).isEqualTo(2);
            assertThat(spool.peekTime()).isEqualTo(-1);
        }
    }

    @Test
    void marksKeepTheAcknowledgedSequenceAndARefusalAcrossReopens() {
        final SpoolMarks marks = new SpoolMarks(dir);
        assertThat(marks.acked()).isZero();
        assertThat(marks.refusedAbove()).isEqualTo(-1);
        marks.acked(41);
        marks.refuseAbove(7);
        final SpoolMarks reopened = new SpoolMarks(dir);
        assertThat(reopened.acked()).isEqualTo(41);
        assertThat(reopened.refusedAbove()).isEqualTo(7);
        reopened.clearRefusal();
        assertThat(new SpoolMarks(dir).refusedAbove()).isEqualTo(-1);
    }

    @Test
    void anUnreadableRefusalIsTheStrictestBoundNotNone() throws Exception {
        Files.writeString(dir.resolve(SpoolMarks.RESUME_REFUSED), "garbled");
        assertThat(new SpoolMarks(dir).refusedAbove()).isZero();
    }

    @Test
    void reclaimDeletesOnlyCyclesTheHubAcknowledgedEntirely() throws Exception {
        try (Spool spool = new Spool(dir, "TEST_SECONDLY")) {
            long last = 0;
            // Three one-second cycles, polled with a deadline rather than slept.
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (files() < 3 && System.nanoTime() < deadline) {
                last = append(spool, "B");
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            assertThat(files()).isGreaterThanOrEqualTo(3);
            final long before = files();
            assertThat(spool.reclaim(0)).as("nothing acknowledged: nothing deleted").isZero();
            assertThat(files()).isEqualTo(before);
            final long lastSeen = last;
            assertThat(spool.reclaim(lastSeen)).isEqualTo((int) before - 1);
            assertThat(files()).as("the current cycle stays").isEqualTo(1);
            Await.until(Duration.ofSeconds(5), () -> spool.lastSequence() == lastSeen, () -> "sequence kept");
        }
    }
}
