package io.sorthub.hub.ops;

import org.agrona.collections.Long2LongHashMap;

/**
 * Parcels decided but not yet confirmed by the sorter, on the journal writer's thread (and on
 * the starting thread during replay). A decision for an outlet waits for the sorter's
 * CONFIRM_DIVERTED, CONFIRM_RECIRCULATED or CONFIRM_NO_READ; one still waiting after the
 * timeout is <em>unconfirmed</em>, one the sorter reports CONFIRM_LOST is <em>lost</em> (a
 * sorter that lost track of a parcel differs from one that never answered). Both are counted
 * by the outlet decided.
 *
 * <p>A parcel is known by its barcode and, when the SCAN carries one (protocol version 2), by
 * the sorter's parcel id: a re-keyed no-read is confirmed by its tray, not by the barcode an
 * operator typed. Tracking starts with the first confirmation the hub sees: a sorter that
 * never confirms has no parcel counted unconfirmed.
 *
 * <p>Allocation-free per parcel once warm: decisions wait in a ring in decision order (so the
 * sweep is a walk from its head), found by key through an open-addressing map of primitive
 * longs. The ring starts small and, the first time more than its first thousand decisions
 * wait, takes its whole {@link #CAPACITY} at once (7 MB): one allocation while a hub ramps up
 * rather than a doubling every few seconds of its first minute, each a garbage collection in
 * the middle of the sort; a test, or a hub with little traffic, does not hold 7 MB for nothing.
 */
public final class Confirmations {
    /** What happens to a parcel counted: by the outlet it was decided for. */
    public interface Outcomes {
        Outcomes NONE = new Outcomes() {
            @Override
            public void unconfirmed(int outlet) {
            }

            @Override
            public void lost(int outlet) {
            }
        };

        void unconfirmed(int outlet);

        void lost(int outlet);
    }

    /** Decisions awaiting confirmation, at most (older ones are counted unconfirmed early). */
    public static final int CAPACITY = 1 << 18;
    private static final int INITIAL_CAPACITY = 1 << 10;
    private static final long NONE = -1;

    private final long timeoutNs;
    private int mask = INITIAL_CAPACITY - 1;
    private long[] barcodeKeys = new long[INITIAL_CAPACITY];
    private long[] parcelKeys = new long[INITIAL_CAPACITY];
    private long[] decidedAtNs = new long[INITIAL_CAPACITY];
    private int[] outlets = new int[INITIAL_CAPACITY];
    private boolean[] open = new boolean[INITIAL_CAPACITY];
    private final Long2LongHashMap positions = new Long2LongHashMap(4096, 0.65f, NONE);
    private Outcomes outcomes = Outcomes.NONE;
    private long head;
    private long tail;
    private volatile int pending;
    private volatile boolean confirming;

    /** @param timeoutMs how long a decision waits for its confirmation; 0: never counted unconfirmed */
    public Confirmations(long timeoutMs) {
        this.timeoutNs = timeoutMs * 1_000_000L;
    }

    /** Where the counts go (none during replay: what happened before this run was counted then). */
    public void outcomes(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    /** A decision for {@code outlet} at {@code atNs} (epoch). Keys 0: not given. */
    public void decided(long barcodeKey, long parcelKey, int outlet, long atNs) {
        if (timeoutNs == 0 || outlet == 0 || (barcodeKey == 0 && parcelKey == 0)) {
            return;
        }
        resolve(barcodeKey); // asked again (after a recirculation the sorter did not report): the new decision counts
        final long byTray = find(parcelKey);
        if (byTray != NONE) {
            final long earlier = barcodeKeys[(int) (byTray & mask)];
            if (earlier == barcodeKey || earlier == 0 || barcodeKey == 0) {
                close(byTray); // the same parcel asked again (or one that cannot be told apart)
            } else {
                expire(byTray); // the tray carries another parcel: the earlier one never got its confirmation
            }
        }
        if (tail - head == mask + 1) {
            if (mask + 1 < CAPACITY) {
                grow();
            } else {
                expire(head); // full: the oldest is as good as unconfirmed
                head++;
            }
        }
        final int slot = (int) (tail & mask);
        barcodeKeys[slot] = barcodeKey;
        parcelKeys[slot] = parcelKey;
        decidedAtNs[slot] = atNs;
        outlets[slot] = outlet;
        open[slot] = true;
        if (barcodeKey != 0) {
            positions.put(barcodeKey, tail);
        }
        if (parcelKey != 0) {
            positions.put(parcelKey, tail);
        }
        tail++;
        pending++;
    }

    /** The sorter confirmed the parcel (diverted, recirculated, or unread at the confirmation). */
    public void confirmed(long barcodeKey, long parcelKey) {
        confirming = true;
        if (!resolve(barcodeKey)) {
            resolve(parcelKey);
        }
    }

    /** The sorter lost the parcel: counted by the outlet decided, or {@code reportedOutlet} if none is known. */
    public void lost(long barcodeKey, long parcelKey, int reportedOutlet) {
        confirming = true;
        long position = find(barcodeKey);
        if (position == NONE) {
            position = find(parcelKey);
        }
        final int outlet = position == NONE ? reportedOutlet : outlets[(int) (position & mask)];
        if (position != NONE) {
            close(position);
        }
        outcomes.lost(outlet);
    }

    /** Count what waited past the timeout at {@code nowNs} (epoch). */
    public void sweep(long nowNs) {
        while (head < tail) {
            final int slot = (int) (head & mask);
            if (open[slot]) {
                if (decidedAtNs[slot] + timeoutNs > nowNs) {
                    return; // decision order: everything after it is younger
                }
                expire(head);
            }
            head++;
        }
    }

    /** How long a decision waits for its confirmation (0: not tracked). */
    public long timeoutMs() {
        return timeoutNs / 1_000_000L;
    }

    /** Decisions still waiting. Any thread. */
    public int pending() {
        return pending;
    }

    /** True once a confirmation was seen: before that no decision is counted unconfirmed. */
    public boolean tracking() {
        return confirming;
    }

    private void grow() {
        final int capacity = CAPACITY;
        final int newMask = capacity - 1;
        final long[] newBarcodeKeys = new long[capacity];
        final long[] newParcelKeys = new long[capacity];
        final long[] newDecidedAtNs = new long[capacity];
        final int[] newOutlets = new int[capacity];
        final boolean[] newOpen = new boolean[capacity];
        for (long position = head; position < tail; position++) { // positions are absolute: the map stays true
            final int from = (int) (position & mask);
            final int to = (int) (position & newMask);
            newBarcodeKeys[to] = barcodeKeys[from];
            newParcelKeys[to] = parcelKeys[from];
            newDecidedAtNs[to] = decidedAtNs[from];
            newOutlets[to] = outlets[from];
            newOpen[to] = open[from];
        }
        barcodeKeys = newBarcodeKeys;
        parcelKeys = newParcelKeys;
        decidedAtNs = newDecidedAtNs;
        outlets = newOutlets;
        open = newOpen;
        mask = newMask;
    }

    private void expire(long position) {
        final int slot = (int) (position & mask);
        if (open[slot]) {
            final int outlet = outlets[slot];
            close(position);
            if (confirming) {
                outcomes.unconfirmed(outlet);
            }
        }
    }

    private long find(long key) {
        if (key == 0) {
            return NONE;
        }
        final long position = positions.get(key);
        return position != NONE && position >= head && open[(int) (position & mask)] ? position : NONE;
    }

    private boolean resolve(long key) {
        final long position = find(key);
        if (position == NONE) {
            return false;
        }
        close(position);
        return true;
    }

    private void close(long position) {
        final int slot = (int) (position & mask);
        open[slot] = false;
        pending--;
        removeKey(barcodeKeys[slot], position);
        removeKey(parcelKeys[slot], position);
    }

    private void removeKey(long key, long position) {
        if (key != 0 && positions.get(key) == position) {
            positions.remove(key); // unless a newer decision of the same parcel took the key
        }
    }
}
