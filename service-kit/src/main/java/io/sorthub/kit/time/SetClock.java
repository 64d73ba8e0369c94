package io.sorthub.kit.time;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

import java.time.Duration;

/**
 * A clock that moves only when told, for tests (as Chronicle's {@code SetTimeProvider}): one
 * time in epoch nanoseconds, read as epoch milliseconds, epoch nanoseconds and monotonic
 * nanoseconds alike. Agrona's {@code CachedEpochClock} and {@code CachedNanoClock} are set
 * apart from each other; a component that reads two kinds of time needs them to agree.
 * Any thread may read it; the test sets it.
 */
public final class SetClock implements EpochClock, EpochNanoClock, NanoClock {
    private volatile long epochNs;

    /** Starting at {@code epochMs} milliseconds since the epoch. */
    public SetClock(long epochMs) {
        this.epochNs = epochMs * 1_000_000L;
    }

    /** Starting at 2026-01-01T00:00:00Z. */
    public SetClock() {
        this(1_767_225_600_000L);
    }

    @Override
    public long time() {
        return epochNs / 1_000_000L;
    }

    @Override
    public long nanoTime() {
        return epochNs;
    }

    public SetClock advance(Duration by) {
        epochNs += by.toNanos();
        return this;
    }

    public SetClock advanceMs(long ms) {
        return advance(Duration.ofMillis(ms));
    }
}
