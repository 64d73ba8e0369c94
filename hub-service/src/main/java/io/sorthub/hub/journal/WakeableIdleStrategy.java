package io.sorthub.hub.journal;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Idle strategy for the journal writer on a small machine: spin briefly, then park until a
 * producer {@link #wake()}s it (or a millisecond passes, as a safety net). Busy back-off
 * strategies kept a core hot at low rates and starved the event loops of CPU on two cores;
 * this one costs producers one volatile read per read batch, and a futex wake only when
 * the writer actually sleeps.
 */
public final class WakeableIdleStrategy implements IdleStrategy {
    private static final int SPINS = 200;
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BooleanSupplier hasWork;
    private volatile Thread sleeper;
    private int spins;

    /** @param hasWork a volatile check for queued work, made after announcing sleep */
    public WakeableIdleStrategy(BooleanSupplier hasWork) {
        this.hasWork = hasWork;
    }

    /** Producers: call after committing work (once per batch is enough). */
    public void wake() {
        final Thread thread = sleeper;
        if (thread != null) {
            sleeper = null;
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < SPINS) {
            spins++;
            Thread.onSpinWait();
            return;
        }
        // Announce the sleep, then look once more (both volatile): a producer that committed
        // before our announcement is seen here, one after it sees us and unparks us.
        sleeper = Thread.currentThread();
        if (!hasWork.getAsBoolean()) {
            LockSupport.parkNanos(this, MAX_PARK_NS);
        }
        sleeper = null;
    }

    @Override
    public void reset() {
        spins = 0;
    }

    @Override
    public String alias() {
        return "wakeable";
    }
}
