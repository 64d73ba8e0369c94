package io.sorthub.hub.journal;

import org.agrona.collections.Long2LongHashMap;

/**
 * Barcode hash → journal index of the parcel's latest record. Each record carries the
 * index of the one before it (same hash), so a parcel's whole history is one walk back
 * through the journal and the index stays one entry per parcel: two longs in an open
 * addressing table, about 25 bytes a parcel at its load factor (10 million parcels in
 * about 270 MB). Owned by the journal writer thread; built by replay before it starts.
 */
public final class ParcelIndex {
    static final long NONE = 0L;
    private final Long2LongHashMap latest = new Long2LongHashMap(1 << 16, 0.65f, NONE);

    /** @return the previous latest index for the hash (0 when none), after recording {@code index}. */
    public long put(long hash, long index) {
        return latest.put(hash, index);
    }

    public long latest(long hash) {
        return latest.get(hash);
    }

    public int size() {
        return latest.size();
    }

    /** Bytes the table's arrays hold now: 16 bytes a slot (key and value). */
    public long bytes() {
        return 16L * latest.capacity();
    }

    /** Forget parcels whose latest record is before {@code firstIndex} (their cycles were deleted). */
    public int removeBefore(long firstIndex) {
        final int before = latest.size();
        latest.values().removeIfLong(index -> index < firstIndex);
        return before - latest.size();
    }
}
