package io.sorthub.kit.time;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.Objects;

/**
 * The three clocks a service reads, as Agrona's interfaces: {@code epoch} (wall-clock
 * milliseconds: plan versions, overrides' ends, file names), {@code epochNanos} (wall-clock
 * nanoseconds: every journal record's time) and {@code nanos} (monotonic: deadlines, rates,
 * elapsed time). Components take the one they need by constructor; only the composition root
 * and command-line tools pick {@link #system()}. Tests give every component one {@link SetClock}.
 */
public record Clocks(EpochClock epoch, EpochNanoClock epochNanos, NanoClock nanos) {
    public Clocks {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(epochNanos, "epochNanos");
        Objects.requireNonNull(nanos, "nanos");
    }

    /**
     * The machine's clocks. Epoch nanoseconds come from the monotonic clock plus an offset
     * sampled from the wall clock (Agrona's {@link OffsetEpochNanoClock}): cheap enough to stamp
     * every event, and never stepping back with the wall clock between samples.
     */
    public static Clocks system() {
        return new Clocks(SystemEpochClock.INSTANCE, new OffsetEpochNanoClock(), SystemNanoClock.INSTANCE);
    }

    /** All three read from one set clock, so that they agree whatever a test sets. */
    public static Clocks of(SetClock clock) {
        return new Clocks(clock, clock, clock);
    }
}
