package io.sorthub.hub.journal;

import io.sorthub.hub.tracking.ParcelIndex;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * What the journal said at start (DESIGN invariant 3): every source's durable sequence, the
 * outlet states, the parcel index and the last plan, rebuilt into {@link JournalState} from
 * the whole journal or not at all. Runs on the starting thread, before any other thread.
 */
public record StartReplay(long events, long millis, JournalState.Plan plan) {
    private static final Logger LOG = LoggerFactory.getLogger(StartReplay.class);

    public static StartReplay run(JournalState state, Journal journal, ParcelIndex parcels, NanoClock clock)
        throws IOException {
        final long start = clock.nanoTime();
        final long events = state.replay(journal, new ReplayProgress(LOG::info, clock)::records);
        final StartReplay replay = new StartReplay(events, TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start),
            state.plan());
        LOG.info("replayed {} events in {} ms ({} parcels indexed)", events, replay.millis(), parcels.size());
        return replay;
    }
}
