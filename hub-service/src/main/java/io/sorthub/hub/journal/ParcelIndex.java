package io.sorthub.hub.journal;

import io.sorthub.protocol.EventKind;

/**
 * One entry per parcel: barcode hash → journal index of the parcel's latest record, the
 * outlet last decided for it, and whether it was inducted and loaded. Each journal record
 * carries the index of the one before it (same hash), so a whole history is one walk back
 * and the index stays small: an open-addressing table of parallel arrays, 19 bytes a slot
 * (long key, long index, short outlet, byte flags), 25–51 bytes a parcel as the table fills
 * and doubles. Owned by the journal writer thread; built by replay before it starts.
 *
 * <p>It also yields two of the hub's quality figures as it goes, because it is the only
 * place that remembers a parcel between events: completeness (inducted parcels that reach
 * a loading scan) and mis-sorts (a confirmed outlet other than the one decided).
 */
public final class ParcelIndex {
    static final long NONE = 0L;
    private static final float LOAD = 0.75f;
    private static final byte INDUCTED = 1;
    private static final byte LOADED = 2;

    /** Quality counters: one writer (the journal writer), read by metrics gauges on other threads, hence volatile. */
    public static final class Quality {
        volatile long inducted;
        volatile long loaded;
        volatile long confirmed;
        volatile long missorted;

        public long inducted() {
            return inducted;
        }

        public long loaded() {
            return loaded;
        }

        public long confirmed() {
            return confirmed;
        }

        public long missorted() {
            return missorted;
        }
    }

    private final Quality quality = new Quality();
    private final long maxBytes;
    private long evicted;
    private long[] keys;
    private long[] latest;
    private short[] outlets;
    private byte[] flags;
    private int size;
    private int resizeAt;

    /** An index bounded to a quarter of the heap. */
    public ParcelIndex() {
        this(Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * @param maxBytes the most the table may take; when doubling would pass it, the older
     *                 half of the parcels is forgotten instead (their records stay in the
     *                 journal: {@code journal export --barcode} still finds them)
     */
    public ParcelIndex(long maxBytes) {
        this.maxBytes = Math.max(maxBytes, 19L << 16);
        allocate(1 << 16);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        latest = new long[capacity];
        outlets = new short[capacity];
        flags = new byte[capacity];
        resizeAt = (int) (capacity * LOAD);
    }

    /**
     * Record that the parcel's latest record is now at {@code index}, of {@code kind}, with
     * {@code outlet} (decided for a sort request, reported for a confirmation).
     *
     * @return the previous latest index of the hash, 0 when none
     */
    public long record(long hash, long index, int kind, int outlet) {
        final long key = hash == 0 ? 1 : hash; // 0 marks an empty slot
        int slot = slot(key);
        if (keys[slot] != key) {
            if (size >= resizeAt) {
                if (19L * keys.length * 2 <= maxBytes) {
                    resize(keys.length * 2);
                } else {
                    evictOlderHalf();
                }
                slot = slot(key);
            }
            keys[slot] = key;
            size++;
        }
        final long previous = latest[slot];
        latest[slot] = index;
        if (kind == EventKind.SORT_REQUEST.code()) {
            if ((flags[slot] & INDUCTED) == 0) {
                flags[slot] |= INDUCTED;
                quality.inducted++;
            }
            outlets[slot] = (short) outlet;
        } else if (kind == EventKind.LOADING.code()) {
            if ((flags[slot] & (INDUCTED | LOADED)) == INDUCTED) {
                flags[slot] |= LOADED;
                quality.loaded++;
            }
        } else if (kind == EventKind.CONFIRM_DIVERTED.code() && outlets[slot] != 0 && outlet != 0) {
            // outlet 0: the sorter did not say where it diverted, so nothing to compare
            quality.confirmed++;
            if ((outlets[slot] & 0xFFFF) != outlet) {
                quality.missorted++;
            }
        }
        return previous;
    }

    /** Journal index of the latest record of the hash; 0 when none. */
    public long latest(long hash) {
        final long key = hash == 0 ? 1 : hash;
        final int slot = slot(key);
        return keys[slot] == key ? latest[slot] : NONE;
    }

    /** The slot holding {@code key}, or the empty slot where it would go (linear probing). */
    private int slot(long key) {
        final int mask = keys.length - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void resize(int capacity) {
        final long[] oldKeys = keys;
        final long[] oldLatest = latest;
        final short[] oldOutlets = outlets;
        final byte[] oldFlags = flags;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                final int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                latest[slot] = oldLatest[i];
                outlets[slot] = oldOutlets[i];
                flags[slot] = oldFlags[i];
            }
        }
    }

    /**
     * The table is at its memory bound: forget the parcels whose latest record is older than
     * the median of a sample (journal indexes grow with time), which frees about half.
     */
    private void evictOlderHalf() {
        final long[] sample = new long[1024];
        int n = 0;
        final int step = Math.max(1, keys.length / (sample.length * 2));
        for (int i = 0; i < keys.length && n < sample.length; i += step) {
            if (keys[i] != 0) {
                sample[n++] = latest[i];
            }
        }
        java.util.Arrays.sort(sample, 0, n);
        evicted += removeBefore(n == 0 ? Long.MAX_VALUE : sample[n / 2]);
    }

    /** Parcels forgotten because the index reached its memory bound. */
    public long evicted() {
        return evicted;
    }

    public int size() {
        return size;
    }

    public Quality quality() {
        return quality;
    }

    /** Bytes the table's arrays hold now. */
    public long bytes() {
        return 19L * keys.length;
    }

    /** Forget parcels whose latest record is before {@code firstIndex} (their cycles were deleted). */
    public int removeBefore(long firstIndex) {
        int removed = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && latest[i] < firstIndex) {
                keys[i] = 0;
                removed++;
            }
        }
        if (removed > 0) {
            size -= removed;
            resize(keys.length); // rehash: linear probing cannot leave holes in a chain
        }
        return removed;
    }
}
