package io.sorthub.hub.journal;

import io.sorthub.kit.chronicle.ChronicleProperties;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The hub's journal: a Chronicle Queue on disk, the system of record. This class only
 * opens and closes it; {@link JournalAgent} is its single writer and {@link JournalReader}
 * reads it.
 */
public final class Journal implements AutoCloseable {
    /**
     * Hourly files: FAST_HOURLY indexes up to 2^32 - 1 records per hour (about 1.2 M/s
     * sustained), far above what one sorter line sends, and hourly files let retention free
     * disk in small steps. The default daily cycle caps near 50 k/s averaged.
     */
    public static final String DEFAULT_ROLL_CYCLE = "FAST_HOURLY";

    static {
        ChronicleProperties.noAnalytics();
        // The appender has one owner thread by design (the journal writer); Chronicle's
        // per-call check of that cost 7% of the writer's CPU in a profile at 100,000 events/s.
        ChronicleProperties.noSingleThreadedCheck();
    }

    /**
     * How long Chronicle waits on its write lock before it forces it open. Its 15 s default
     * guards against another live writer, which the data-folder lock already rules out; a
     * lock left by a killed hub then costs 1.5 s at start instead of 15.
     */
    static final long CHRONICLE_TIMEOUT_MS = 1_000;

    private final Path directory;
    private final ChronicleQueue queue;

    /** Open for reading (commands, exporters): refuses a journal with a cycle file Chronicle cannot open. */
    public static Journal openForReading(Path directory, String rollCycle) throws IOException {
        final List<CycleFileCheck.Unopenable> broken = CycleFileCheck.scan(directory);
        if (!broken.isEmpty()) {
            throw new IOException("journal " + directory.toAbsolutePath() + " has " + broken.size()
                + " cycle file(s) Chronicle cannot open, so it cannot be read past them: " + broken
                + "; start the hub on it, or run 'hub-service journal repair', to set such files aside");
        }
        return new Journal(directory, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /**
     * Open for the hub's writer (holding the data-folder lock): cycle files left without a
     * header by a kill during roll-over are moved to the quarantine folder first, each move
     * reported to {@code report}; any other damage is refused.
     */
    public static Journal openForWriting(Path directory, String rollCycle, TimeProvider time,
                                         java.util.function.Consumer<String> report) throws IOException {
        // rwx------: Chronicle creates its files with the process's umask, the folder keeps others out of them.
        io.sorthub.kit.fs.OwnerOnly.createDirectories(directory);
        final List<CycleFileCheck.Unopenable> broken = CycleFileCheck.scan(directory);
        final List<Path> moved = CycleFileCheck.quarantine(directory, broken, time::currentTimeMillis);
        for (int i = 0; i < moved.size(); i++) {
            report.accept("journal file " + broken.get(i) + "; it holds no record, moved to " + moved.get(i));
        }
        return new Journal(directory, rollCycle, time);
    }

    public Journal(Path directory, String rollCycle) {
        this(directory, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /** @param time the journal's clock: what cycle a record goes to (tests roll cycles with a set time) */
    public Journal(Path directory, String rollCycle, TimeProvider time) {
        this.directory = directory;
        this.queue = ChronicleQueue.singleBuilder(directory)
            .rollCycle(rollCycle(rollCycle))
            .timeProvider(time)
            .timeoutMS(CHRONICLE_TIMEOUT_MS)
            .build();
    }

    /** @throws IllegalArgumentException naming the cycles that exist, for a bad config value. */
    public static RollCycle rollCycle(String name) {
        final String key = name.toUpperCase(Locale.ROOT);
        for (RollCycles cycle : RollCycles.values()) {
            if (cycle.name().equals(key)) {
                return cycle;
            }
        }
        for (LargeRollCycles cycle : LargeRollCycles.values()) {
            if (cycle.name().equals(key)) {
                return cycle;
            }
        }
        for (TestRollCycles cycle : TestRollCycles.values()) {
            if (cycle.name().equals(key)) {
                return cycle; // TEST_SECONDLY: one file a second, for retention tests
            }
        }
        throw new IllegalArgumentException("unknown journal roll cycle '" + name
            + "'; use one of FAST_HOURLY, FAST_DAILY, LARGE_HOURLY, LARGE_DAILY, HALF_HOURLY, FIVE_MINUTELY");
    }

    /** The cycle file that holds journal index {@code index}, e.g. "20261123-08F.cq4". */
    public String fileOf(long index) {
        final RollCycle cycle = queue.rollCycle();
        final long startMs = (long) cycle.toCycle(index) * cycle.lengthInMillis();
        return java.time.format.DateTimeFormatter.ofPattern(cycle.format()).withZone(java.time.ZoneOffset.UTC)
            .format(java.time.Instant.ofEpochMilli(startMs)) + ".cq4";
    }

    /** First journal index of the cycle stored in {@code fileName}. */
    public long firstIndexOf(String fileName) {
        final RollCycle cycle = queue.rollCycle();
        final String stamp = fileName.substring(0, fileName.length() - ".cq4".length());
        final long startMs = java.time.format.DateTimeFormatter.ofPattern(cycle.format()).withZone(java.time.ZoneOffset.UTC)
            .parse(stamp, java.time.Instant::from).toEpochMilli();
        return cycle.toIndex((int) (startMs / cycle.lengthInMillis()), 0);
    }

    /** The cycle a record appended now goes to, by the journal's clock. */
    public int cycleNow() {
        return ((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue) queue).cycle();
    }

    public ChronicleQueue queue() {
        return queue;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        queue.close();
    }
}
