package io.sorthub.hub.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the hub knows of one scan source: the highest sequence in the journal, and the
 * session currently speaking for it.
 *
 * <p>Single writer: only the journal thread advances the sequence ({@link #journaled} is its
 * private working copy, {@link #durableSequence()} the published one) and the count of the
 * source's records it has handled ({@link #processedEvents()}, for the in-flight bound).
 * Event loops read those; the session speaking for the source publishes the highest sequence
 * it put on the journal queue ({@link #acceptedSequence()}), so that a session taking over
 * answers a resend of it DUPLICATE even before the writer has journaled it.
 */
public final class SourceState {
    private static final VarHandle DURABLE;
    private static final VarHandle PROCESSED;
    private static final VarHandle ACCEPTED;
    private static final VarHandle OFFERED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            DURABLE = lookup.findVarHandle(SourceState.class, "durableSequence", long.class);
            PROCESSED = lookup.findVarHandle(SourceState.class, "processedPublished", long.class);
            ACCEPTED = lookup.findVarHandle(SourceState.class, "acceptedSequence", long.class);
            OFFERED = lookup.findVarHandle(SourceState.class, "offered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int sourceId;
    /** Journal thread only: highest sequence appended, possibly not yet published. */
    long journaled;
    @SuppressWarnings("unused") // accessed through DURABLE
    private volatile long durableSequence;
    /** Journal thread only: records of this source handled (appended or dropped as duplicates). */
    private long processed;
    @SuppressWarnings("unused") // accessed through PROCESSED
    private volatile long processedPublished;
    @SuppressWarnings("unused") // accessed through ACCEPTED
    private volatile long acceptedSequence;
    @SuppressWarnings("unused") // accessed through OFFERED
    private volatile long offered;
    private volatile boolean resetting;
    private volatile SourceSession session;
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
        processed++;
    }

    /** Journal thread only: a record of this source was dropped as a duplicate. */
    public void droppedDuplicate() {
        processed++;
    }

    /**
     * Journal thread only, after the reset record is journaled: the source starts again at
     * sequence 1 (an operator's answer to a source whose numbering went back, e.g. a gateway
     * whose spool was wiped). The session speaking for it was closed first.
     */
    public void resetSequence() {
        journaled = 0;
        ACCEPTED.setRelease(this, 0L);
    }

    /** Replay: a reset record was journaled here; later records count from 1 again. */
    public void replayReset() {
        journaled = 0;
    }

    /** Records of this source the writer has handled, as of its last published batch. Any thread. */
    public long processedEvents() {
        return (long) PROCESSED.getAcquire(this);
    }

    /** Highest sequence any session of this source put on the journal queue. Any thread. */
    public long acceptedSequence() {
        return (long) ACCEPTED.getAcquire(this);
    }

    /**
     * The event loop of the session speaking for the source, once per read batch: the highest
     * sequence it put on the journal queue, and how many records it put there in the batch.
     * An atomic add, not a plain write: a replaced session may still finish a batch on its own
     * loop while the new one starts on another.
     */
    public void offered(long highestSequence, int records) {
        ACCEPTED.setRelease(this, highestSequence);
        OFFERED.getAndAdd(this, (long) records);
    }

    /** Records of this source put on the journal queue by all its sessions so far. Any thread. */
    public long offeredEvents() {
        return (long) OFFERED.getAcquire(this);
    }

    /** Records on the journal queue or being journaled, not yet published as handled. */
    public long inFlight() {
        return offeredEvents() - processedEvents();
    }

    /** While an operator resets the source, no session may open for it. */
    public boolean resetting() {
        return resetting;
    }

    public void resetting(boolean value) {
        resetting = value;
    }

    /** Journal thread only (or replay before start): publish and tell the session. */
    public void publishDurable() {
        PROCESSED.setRelease(this, processed);
        DURABLE.setRelease(this, journaled);
        final SourceSession listener = session;
        if (listener != null) {
            listener.onDurable();
        }
    }

    SourceSession swapSession(SourceSession next) {
        final SourceSession previous = session;
        session = next;
        return previous;
    }

    boolean clearSession(SourceSession expected) {
        if (session == expected) {
            session = null;
            return true;
        }
        return false;
    }

    /** The session speaking for the source now, or null. */
    public SourceSession session() {
        return session;
    }

    public boolean hasSession() {
        return session != null;
    }
}
