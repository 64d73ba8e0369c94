package io.sorthub.hub.journal;

import org.agrona.concurrent.NanoClock;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * A line every five seconds while the journal replays at start, so that an operator
 * watching a long replay (tens of millions of records) sees it move and how fast. Called by
 * the replaying thread every few thousand records.
 */
final class ReplayProgress {
    static final long INTERVAL_NS = 5_000_000_000L;

    private final Consumer<String> log;
    private final NanoClock nanoClock;
    private final long startNs;
    private long lastNs;
    private long lastRecords;

    ReplayProgress(Consumer<String> log, NanoClock nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
        this.startNs = nanoClock.nanoTime();
        this.lastNs = startNs;
    }

    /** {@code records} read so far. */
    void records(long records) {
        final long now = nanoClock.nanoTime();
        if (now - lastNs < INTERVAL_NS) {
            return;
        }
        log.accept(String.format(Locale.ROOT, "replaying the journal: %,d records read in %d s, %,.0f records/s",
            records, (now - startNs) / 1_000_000_000L, (records - lastRecords) * 1e9 / (now - lastNs)));
        lastNs = now;
        lastRecords = records;
    }
}
