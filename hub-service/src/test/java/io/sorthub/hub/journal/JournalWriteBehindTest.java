package io.sorthub.hub.journal;

import io.sorthub.kit.time.SetClock;
import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JournalWriteBehindTest {
    private final SetClock clock = new SetClock();
    private final List<String> forced = new ArrayList<>();
    private final JournalWriteBehind.WriteBack recording = new JournalWriteBehind.WriteBack() {
        @Override
        public void writeBack(Path file, long from, long to) {
            forced.add(file + " " + (from >> 20) + "-" + (to >> 20) + " MiB");
        }

        @Override
        public long size(Path file) {
            return 10L << 20;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void writesBackWhatTheAppenderLeftBehindInStepsAndTheRestOfTheFileItLeavesToo() {
        final JournalWriteBehind behind = new JournalWriteBehind(clock, recording);
        assertThat(behind.doWork()).as("no cycle file yet").isZero();
        final Path first = Path.of("20261205-08.cq4"); // 10 MiB long, for the test
        final Path second = Path.of("20261205-09.cq4");
        behind.follow(first);
        clock.advanceMs(10);
        assertThat(behind.doWork()).as("still in the first chunk: nothing left behind").isZero();
        behind.chunkAt(6L << 20); // chunks of 6 MiB, for the test
        clock.advanceMs(9);
        assertThat(behind.doWork()).as("not due yet").isZero();
        clock.advanceMs(1);
        assertThat(behind.doWork()).isEqualTo(1);
        clock.advanceMs(1);
        assertThat(behind.doWork()).as("one step a period").isZero();
        clock.advanceMs(10);
        behind.doWork();
        clock.advanceMs(10);
        assertThat(behind.doWork()).as("all of the chunk left written back").isZero();
        assertThat(forced).containsExactly(first + " 0-4 MiB", first + " 4-6 MiB");
        behind.chunkAt(0); // the writer's order on a new file: its chunk, then the file
        behind.follow(second);
        for (int i = 0; i < 3; i++) {
            clock.advanceMs(10);
            behind.doWork();
        }
        assertThat(forced).as("the rest of the file left, to its size, in steps too").containsExactly(first + " 0-4 MiB",
            first + " 4-6 MiB", first + " 6-10 MiB");
        behind.chunkAt(3L << 20);
        clock.advanceMs(10);
        behind.doWork();
        clock.advanceMs(10);
        assertThat(behind.doWork()).isZero();
        assertThat(forced).endsWith(second + " 0-3 MiB");
        assertThat(behind.writeBacks()).isEqualTo(4);
    }

    @Test
    void aFailedWriteBackIsCountedLoggedOnceAndTriedAgainNextPeriod() {
        final int[] calls = {0};
        final JournalWriteBehind behind = new JournalWriteBehind(clock, failingWhile(() -> ++calls[0] <= 3, "Input/output error"));
        behind.follow(Path.of("20261205-08.cq4"));
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 1; i <= 4; i++) {
                behind.chunkAt(i * (4L << 20));
                clock.advanceMs(10);
                behind.doWork();
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("write-behind")).hasSize(1).first().asString()
                .contains("20261205-08.cq4").contains("Input/output error");
        }
        assertThat(behind.failures()).isEqualTo(3);
        assertThat(behind.writeBacks()).as("the fourth went through").isEqualTo(1);
    }

    @Test
    void aWriteBackFailingAgainAfterItRecoveredIsLoggedAgain() {
        final boolean[] fail = {true};
        final JournalWriteBehind behind = new JournalWriteBehind(clock, failingWhile(() -> fail[0], "No space left on device"));
        behind.follow(Path.of("20261205-08.cq4"));
        try (CapturedLog log = new CapturedLog()) {
            long chunk = 0;
            for (boolean failing : new boolean[] {true, true, false, true}) {
                fail[0] = failing;
                behind.chunkAt(chunk += 4L << 20);
                clock.advanceMs(10);
                behind.doWork();
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("write-behind")).hasSize(2);
        }
    }

    @Test
    @Timeout(60)
    void aPageCacheWriterStartsItsWriteBehindAtTheFirstAppendAndStopsItWhenClosed(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"), "Linux only");
        try (Journal journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE)) {
            final ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.PAGECACHE);
            try {
                assertThat(writer.writeBehindRunner()).as("no thread before the first append").isNull();
                writer.append(new byte[64]);
                final AgentRunner runner = writer.writeBehindRunner();
                assertThat(runner).isNotNull();
                final byte[] record = new byte[64 * 1024];
                for (int i = 0; i < 1_100; i++) { // 70 MB: into the second chunk (64 MiB) of the mapping
                    writer.append(record);
                }
                Await.until(Duration.ofSeconds(20), () -> writer.writeBacks() >= 1, () -> "no write-back of the first chunk");
                assertThat(writer.writeBackFailures()).isZero();
                assertThat(niceOfThreadsNamed("journal-write-b")).as("the write-behind thread at the lowest priority").contains(19);
                assertThat(runner.thread().isDaemon()).as("never what keeps a failed start's JVM alive").isTrue();
                writer.close();
                assertThat(runner.isClosed()).isTrue();
                assertThat(runner.thread() == null || !runner.thread().isAlive()).as("stopped with the writer").isTrue();
            } finally {
                writer.close(); // twice is harmless
            }
        }
    }

    @Test
    void aPageCacheWriterThatNeverAppendsStartsNoThread(@TempDir Path dir) {
        try (Journal journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE);
             ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.PAGECACHE)) {
            assertThat(writer.writeBehindRunner()).isNull();
        }
    }

    @Test
    void aSyncWriterHasNoWriteBehind(@TempDir Path dir) throws Exception {
        try (Journal journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE);
             ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.SYNC)) {
            writer.append(new byte[64]);
            assertThat(writer.writeBacks()).isZero();
            assertThat(writer.writeBehindRunner()).isNull();
        }
    }

    /** The nice values of this process's threads whose name (15 characters at most) is {@code comm}. */
    private static java.util.List<Integer> niceOfThreadsNamed(String comm) throws IOException {
        final java.util.List<Integer> nice = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (java.nio.file.Files.readString(task.resolve("comm")).trim().equals(comm)) {
                    final String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    nice.add(Integer.parseInt(fields[16])); // field 19 of stat, the 17th after the name
                }
            }
        }
        return nice;
    }

    /** A write-back that fails with {@code message} whenever {@code failing} says so. */
    private static JournalWriteBehind.WriteBack failingWhile(java.util.function.BooleanSupplier failing, String message) {
        return new JournalWriteBehind.WriteBack() {
            @Override
            public void writeBack(Path file, long from, long to) throws IOException {
                if (failing.getAsBoolean()) {
                    throw new IOException(message);
                }
            }

            @Override
            public long size(Path file) {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }
}
