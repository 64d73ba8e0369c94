package io.sorthub.hub.whatif;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.routing.SortPlan;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.NanoClock;

import java.util.function.LongConsumer;

/**
 * Replays a journal's sort requests through a candidate plan ({@link WhatIfReplay}) and
 * reports the difference. Reads with its own tailer, so it runs beside a live hub's writer;
 * blocking and CPU-bound: call it off the event loops.
 */
public final class WhatIf {
    /** Records between two progress calls. */
    static final long PROGRESS_EVERY = 1 << 20;

    private final Journal journal;
    private final NanoClock clock;

    /** @param clock times the replay (in the report) */
    public WhatIf(Journal journal, NanoClock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    /** Journal records in all, for a progress bar; 0 when the queue cannot say. */
    public long records() {
        return journal.queue() instanceof SingleChronicleQueue queue ? queue.entryCount() : 0;
    }

    /**
     * @param fromMs          first hub receive time replayed, inclusive
     * @param toMs            end of the window, exclusive
     * @param capacityPerHour for overloads; 0: the busiest outlet-hour in the journal
     * @param progress        called with the records read so far, every million or so
     */
    public WhatIfReport replay(SortPlan candidate, long fromMs, long toMs, long capacityPerHour, LongConsumer progress) {
        final WhatIfReplay replay = new WhatIfReplay(candidate, fromMs, toMs);
        final long start = clock.nanoTime();
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readAll((index, record) -> {
                replay.onRecord(index, record);
                if (replay.records() % PROGRESS_EVERY == 0) {
                    progress.accept(replay.records());
                }
            });
        }
        progress.accept(replay.records());
        return replay.report(capacityPerHour, clock.nanoTime() - start);
    }
}
