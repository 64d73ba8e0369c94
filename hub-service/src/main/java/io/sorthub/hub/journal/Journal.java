package io.sorthub.hub.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.nio.file.Path;
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
        // Chronicle would otherwise try to send usage analytics at start: a hub has no business
        // calling out to the internet. Set here, before any Chronicle class initialises.
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        // The appender has one owner thread by design (the journal writer); Chronicle's
        // per-call check of that cost 7% of the writer's CPU in a profile at 100,000 events/s.
        if (System.getProperty("disable.single.threaded.check") == null) {
            System.setProperty("disable.single.threaded.check", "true");
        }
    }

    private final Path directory;
    private final ChronicleQueue queue;

    public Journal(Path directory, String rollCycle) {
        this.directory = directory;
        this.queue = ChronicleQueue.singleBuilder(directory)
            .rollCycle(rollCycle(rollCycle))
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
