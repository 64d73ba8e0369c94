package io.sorthub.hub.journal;

import io.sorthub.kit.time.SetClock;
import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JournalWriteBehindTest {
    private final SetClock clock = new SetClock();
    private final List<Path> forced = new ArrayList<>();
    private final JournalWriteBehind.Force recording = new JournalWriteBehind.Force() {
        @Override
        public void force(Path file) {
            forced.add(file);
        }

        @Override
        public void close() {
        }
    };

    @Test
    void writesTheCurrentCycleFileBackEveryPeriodAndTheOneLeftBehindOnceMore() {
        final JournalWriteBehind behind = new JournalWriteBehind(clock, recording);
        assertThat(behind.doWork()).as("no cycle file yet").isZero();
        final Path first = Path.of("20261205-08.cq4");
        final Path second = Path.of("20261205-09.cq4");
        behind.follow(first);
        clock.advanceMs(100);
        assertThat(behind.doWork()).isEqualTo(1);
        assertThat(forced).containsExactly(first);
        clock.advanceMs(99);
        assertThat(behind.doWork()).as("not due yet").isZero();
        clock.advanceMs(1);
        behind.doWork();
        assertThat(forced).containsExactly(first, first);
        behind.follow(second);
        clock.advanceMs(100);
        assertThat(behind.doWork()).isEqualTo(2);
        clock.advanceMs(100);
        behind.doWork();
        assertThat(forced).containsExactly(first, first, first, second, second);
        assertThat(behind.forces()).isEqualTo(5);
    }

    @Test
    void aFailedWriteBackIsCountedLoggedOnceAndTriedAgainNextPeriod() {
        final int[] calls = {0};
        final JournalWriteBehind behind = new JournalWriteBehind(clock, new JournalWriteBehind.Force() {
            @Override
            public void force(Path file) throws IOException {
                if (++calls[0] <= 3) {
                    throw new IOException("Input/output error");
                }
            }

            @Override
            public void close() {
            }
        });
        behind.follow(Path.of("20261205-08.cq4"));
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 4; i++) {
                clock.advanceMs(100);
                behind.doWork();
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("write-behind")).hasSize(1).first().asString()
                .contains("20261205-08.cq4").contains("Input/output error");
        }
        assertThat(behind.failures()).isEqualTo(3);
        assertThat(behind.forces()).as("the fourth went through").isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void aPageCacheWriterWritesItsJournalBackOnAThreadOfItsOwnAndStopsItWhenClosed(@TempDir Path dir) throws Exception {
        try (Journal journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE)) {
            final ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.PAGECACHE);
            writer.append(new byte[64]);
            Await.until(Duration.ofSeconds(20), () -> writer.writeBacks() >= 2, () -> "no write-back of the journal");
            assertThat(threadNamed("journal-write-behind")).isTrue();
            writer.close();
            assertThat(threadNamed("journal-write-behind")).as("stopped with the writer").isFalse();
        }
    }

    @Test
    void aSyncWriterHasNoWriteBehind(@TempDir Path dir) throws Exception {
        try (Journal journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE);
             ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.SYNC)) {
            writer.append(new byte[64]);
            assertThat(writer.writeBacks()).isZero();
        }
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
