package io.sorthub.hub.export;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The exporter's sends in flight, in journal order: slots {@code [head, tail)} of a
 * power-of-two ring. The producer's I/O thread marks a slot acknowledged or failed; the
 * exporter's thread moves the acknowledged position over the longest acknowledged prefix
 * (acknowledgements of different partitions arrive in any order), so the position never
 * passes a record the broker has not taken.
 */
final class SendWindow {
    static final int PENDING = 0;
    static final int ACKED = 1;
    static final int FAILED = 2;

    private final int mask;
    private final long[] slotIndex;
    private final long[] slotReceivedNs;
    private final AtomicIntegerArray slotState;
    private long head;
    private long tail;

    /** @param capacity sends in flight at most (a power of two) */
    SendWindow(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("window must be a power of two, not " + capacity);
        }
        this.mask = capacity - 1;
        this.slotIndex = new long[capacity];
        this.slotReceivedNs = new long[capacity];
        this.slotState = new AtomicIntegerArray(capacity);
    }

    boolean full() {
        return tail - head > mask;
    }

    /** Exporter thread: a record sent (PENDING) or skipped (ACKED at once); returns its slot. */
    int push(long journalIndex, long receivedNs, int state) {
        final int slot = (int) (tail & mask);
        slotIndex[slot] = journalIndex;
        slotReceivedNs[slot] = receivedNs;
        slotState.set(slot, state);
        tail++;
        return slot;
    }

    /**
     * Exporter thread: the slot the next send takes, filled in but not yet counted (a send that
     * throws is not in flight); {@link #commit} counts it once the producer took the record.
     */
    int prepare(long journalIndex, long receivedNs) {
        final int slot = (int) (tail & mask);
        slotIndex[slot] = journalIndex;
        slotReceivedNs[slot] = receivedNs;
        slotState.set(slot, PENDING);
        return slot;
    }

    void commit() {
        tail++;
    }

    /** The producer's I/O thread. */
    void acknowledged(int slot) {
        slotState.set(slot, ACKED);
    }

    /** The producer's I/O thread. */
    void failed(int slot) {
        slotState.set(slot, FAILED);
    }

    /**
     * Exporter thread: move over the acknowledged prefix.
     *
     * @return the journal index now acknowledged, or {@code acknowledged} unchanged
     */
    long drain(long acknowledged) {
        long index = acknowledged;
        while (head < tail) {
            final int slot = (int) (head & mask);
            if (slotState.get(slot) != ACKED) {
                break; // PENDING, or FAILED: the exporter rewinds to this one
            }
            index = slotIndex[slot];
            slotState.lazySet(slot, PENDING);
            head++;
        }
        return index;
    }

    int inFlight() {
        return (int) (tail - head);
    }

    /** Exporter thread, after a failure: forget every send; returns the highest journal index among them. */
    long reset(long acknowledged) {
        long highest = acknowledged;
        for (long s = head; s < tail; s++) {
            highest = Math.max(highest, slotIndex[(int) (s & mask)]);
            slotState.set((int) (s & mask), PENDING);
        }
        head = tail;
        return highest;
    }
}
