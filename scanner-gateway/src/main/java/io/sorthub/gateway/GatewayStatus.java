package io.sorthub.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's figures as the other threads see them (the HTTP verticle, gauges, tests).
 * Written only by the gateway's event loop, with ordered stores (no fence on the read path).
 */
public final class GatewayStatus {
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private volatile boolean hubConnected;
    private volatile boolean spoolAccepting = true;
    private volatile long spoolFreeBytes = Long.MAX_VALUE;
    private volatile long oldestUnackedAtMs;
    private volatile long resumeAheadHub = -1;
    private volatile long resumeAheadSpool = -1;

    public void spooled(long sequence) {
        spooled.lazySet(sequence);
    }

    /** Acknowledged by the hub, or reclaimed (so acknowledged before): everything up to here. */
    public void acked(long sequence) {
        acked.lazySet(sequence);
    }

    public long spooledSequence() {
        return spooled.get();
    }

    public long ackedSequence() {
        return acked.get();
    }

    /** Events spooled that the hub has not acknowledged; never negative. */
    public long backlog() {
        return Math.max(0, spooled.get() - acked.get());
    }

    public void hubConnected(boolean connected) {
        hubConnected = connected;
    }

    public boolean hubConnected() {
        return hubConnected;
    }

    public void spoolAccepting(boolean accepting, long freeBytes) {
        spoolAccepting = accepting;
        spoolFreeBytes = freeBytes;
    }

    public boolean spoolAccepting() {
        return spoolAccepting;
    }

    public long spoolFreeBytes() {
        return spoolFreeBytes;
    }

    /** Spool time of the oldest event the hub has not acknowledged; 0 when there is none. */
    public void oldestUnackedAt(long epochMs) {
        oldestUnackedAtMs = epochMs;
    }

    public long oldestUnackedAtMs() {
        return oldestUnackedAtMs;
    }

    /** The hub offered a resume point above the spool: forwarding is stopped. */
    public void resumeAhead(long hubResume, long spoolLast) {
        resumeAheadSpool = spoolLast;
        resumeAheadHub = hubResume;
    }

    public void resumeAheadCleared() {
        resumeAheadHub = -1;
        resumeAheadSpool = -1;
    }

    public boolean resumeAhead() {
        return resumeAheadHub >= 0;
    }

    public long resumeAheadHub() {
        return resumeAheadHub;
    }

    public long resumeAheadSpool() {
        return resumeAheadSpool;
    }
}
