package io.sorthub.hub.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the hub knows of one scan source: the highest sequence in the journal, and the
 * session currently speaking for it.
 *
 * <p>Single writer: only the journal thread advances the sequence ({@link #journaled} is its
 * private working copy, {@link #durableSequence()} the published one). Event loops read.
 */
public final class SourceState {
    private static final VarHandle DURABLE;

    static {
        try {
            DURABLE = MethodHandles.lookup().findVarHandle(SourceState.class, "durableSequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int sourceId;
    /** Journal thread only: highest sequence appended, possibly not yet published. */
    long journaled;
    @SuppressWarnings("unused") // accessed through DURABLE
    private volatile long durableSequence;
    private volatile DurableListener session;
    private io.micrometer.core.instrument.Counter events;

    SourceState(int sourceId) {
        this.sourceId = sourceId;
    }

    /** This source's accepted-events counter (metrics), set when the hub first sees the source. */
    public io.micrometer.core.instrument.Counter events() {
        return events;
    }

    public void events(io.micrometer.core.instrument.Counter counter) {
        this.events = counter;
    }

    public int sourceId() {
        return sourceId;
    }

    /** Highest sequence of this source known to be in the journal; 0 when none. */
    public long durableSequence() {
        return (long) DURABLE.getAcquire(this);
    }

    /** Journal thread only: highest sequence appended so far. */
    public long journaledSequence() {
        return journaled;
    }

    /** Replay: the journal holds {@code sequence} (keeps the highest seen). */
    public void journaledAtLeast(long sequence) {
        if (sequence > journaled) {
            journaled = sequence;
        }
    }

    /** Journal thread only: record that {@code sequence} was appended. */
    public void journaled(long sequence) {
        journaled = sequence;
    }

    /** Journal thread only (or replay before start): publish and tell the session. */
    public void publishDurable() {
        DURABLE.setRelease(this, journaled);
        final DurableListener listener = session;
        if (listener != null) {
            listener.onDurable();
        }
    }

    DurableListener swapSession(DurableListener next) {
        final DurableListener previous = session;
        session = next;
        return previous;
    }

    boolean clearSession(DurableListener expected) {
        if (session == expected) {
            session = null;
            return true;
        }
        return false;
    }

    public boolean hasSession() {
        return session != null;
    }
}
