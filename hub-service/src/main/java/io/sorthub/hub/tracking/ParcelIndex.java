package io.sorthub.hub.tracking;

import io.sorthub.protocol.EventKind;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * One entry per parcel: barcode hash → journal index of the parcel's latest record, the
 * outlet last decided for it, and whether it was inducted and loaded. Each journal record
 * carries the index of the one before it (same hash), so a whole history is one walk back
 * and the index stays small: an open-addressing table of parallel columns, 19 bytes a slot
 * (long key, long index, short outlet, byte flags), 25–51 bytes a parcel as the table fills
 * and doubles. Owned by the journal writer thread; built by replay before it starts.
 *
 * <p>The columns live off the heap ({@link TableMemory}: in 2 MiB pages where the system
 * allows), and each table is freed the moment a larger one replaces it: a hub indexes parcels
 * for as long as it runs, and on the heap every doubling (tens of megabytes, "humongous" to
 * G1) started a garbage collection in the middle of the sort.
 *
 * <p>It also yields two of the hub's quality figures as it goes, because it is the only
 * place that remembers a parcel between events: completeness (inducted parcels that reach
 * a loading scan) and mis-sorts (a confirmed outlet other than the one decided).
 */
public final class ParcelIndex {
    static final long NONE = 0L;
    private static final float LOAD = 0.75f;
    /** The most slots the table can hold: 2^27, a 1 GiB column of keys and 2.5 GB in all (about 100 M parcels at the load factor). */
    private static final int MAX_CAPACITY = 1 << 27;
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
    private final UnsafeBuffer keys = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer latest = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer outlets = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer flags = new UnsafeBuffer(0, 0);
    private TableMemory memory;
    private int capacity;
    private int size;
    private int resizeAt;

    // Replay's batch: the index updates of BATCH records wait until all their slots have been
    // read once, back to back, so the cache misses of their probes overlap instead of following
    // one another (each probe is a miss at millions of parcels; replay does little else).
    private static final int BATCH = 32;
    private final long[] batchHashes = new long[BATCH];
    private final long[] batchIndexes = new long[BATCH];
    private final int[] batchKinds = new int[BATCH];
    private final int[] batchOutlets = new int[BATCH];
    private int batched;
    /** Where the touches' sum goes, so the compiler keeps the loads. */
    private long touched;

    /**
     * An index bounded to a quarter of the heap's size (beside the heap, in memory of its own:
     * {@link TableMemory}).
     */
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
        // One block for the four columns, zeroed: every slot empty. A refused allocation
        // leaves the table as it was.
        memory = TableMemory.allocate(19L * capacity);
        final long at = memory.address();
        keys.wrap(at, capacity * Long.BYTES);
        latest.wrap(at + (long) capacity * Long.BYTES, capacity * Long.BYTES);
        outlets.wrap(at + (long) capacity * 2 * Long.BYTES, capacity * Short.BYTES);
        flags.wrap(at + (long) capacity * (2 * Long.BYTES + Short.BYTES), capacity);
        this.capacity = capacity;
        resizeAt = (int) (capacity * LOAD);
    }

    private long key(int slot) {
        return keys.getLong(slot << 3);
    }

    private int flags(int slot) {
        return flags.getByte(slot);
    }

    private int outlet(int slot) {
        return outlets.getShort(slot << 1) & 0xFFFF;
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
        if (key(slot) != key) {
            if (size >= resizeAt) {
                if (19L * capacity * 2 <= maxBytes && capacity < MAX_CAPACITY) {
                    resize(capacity * 2);
                } else {
                    evictOlderHalf();
                }
                slot = slot(key);
            }
            keys.putLong(slot << 3, key);
            size++;
        }
        final long previous = latest.getLong(slot << 3);
        latest.putLong(slot << 3, index);
        final int had = flags(slot);
        if (kind == EventKind.SORT_REQUEST.code()) {
            if ((had & INDUCTED) == 0) {
                flags.putByte(slot, (byte) (had | INDUCTED));
                quality.inducted++;
            }
            outlets.putShort(slot << 1, (short) outlet);
        } else if (kind == EventKind.LOADING.code()) {
            if ((had & (INDUCTED | LOADED)) == INDUCTED) {
                flags.putByte(slot, (byte) (had | LOADED));
                quality.loaded++;
            }
        } else if (kind == EventKind.CONFIRM_DIVERTED.code() && outlet(slot) != 0 && outlet != 0) {
            // outlet 0: the sorter did not say where it diverted, so nothing to compare
            quality.confirmed++;
            if (outlet(slot) != outlet) {
                quality.missorted++;
            }
        }
        return previous;
    }

    /**
     * {@link #record} later, for replay, which needs no previous index: in batches whose slots
     * are touched together first. {@link #flush()} after the last.
     */
    public void recordBatched(long hash, long index, int kind, int outlet) {
        final int i = batched;
        batchHashes[i] = hash;
        batchIndexes[i] = index;
        batchKinds[i] = kind;
        batchOutlets[i] = outlet;
        if ((batched = i + 1) == BATCH) {
            flush();
        }
    }

    /** Apply what {@link #recordBatched} holds. */
    public void flush() {
        final int n = batched;
        final int mask = capacity - 1;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            final long key = batchHashes[i] == 0 ? 1 : batchHashes[i];
            final int home = (int) (key ^ (key >>> 32)) & mask;
            sum += keys.getLong(home << 3) + latest.getLong(home << 3) + outlets.getShort(home << 1) + flags.getByte(home);
        }
        touched += sum;
        for (int i = 0; i < n; i++) {
            record(batchHashes[i], batchIndexes[i], batchKinds[i], batchOutlets[i]);
        }
        batched = 0;
    }

    /** Journal index of the latest record of the hash; 0 when none. */
    public long latest(long hash) {
        final long key = hash == 0 ? 1 : hash;
        final int slot = slot(key);
        return key(slot) == key ? latest.getLong(slot << 3) : NONE;
    }

    /** The slot holding {@code key}, or the empty slot where it would go (linear probing). */
    private int slot(long key) {
        final int mask = capacity - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        long at;
        while ((at = key(slot)) != 0 && at != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void resize(int newCapacity) {
        final TableMemory oldMemory = memory;
        final int oldCapacity = capacity;
        final UnsafeBuffer k = new UnsafeBuffer(keys.addressOffset(), keys.capacity());
        final UnsafeBuffer l = new UnsafeBuffer(latest.addressOffset(), latest.capacity());
        final UnsafeBuffer o = new UnsafeBuffer(outlets.addressOffset(), outlets.capacity());
        final UnsafeBuffer f = new UnsafeBuffer(flags.addressOffset(), flags.capacity());
        allocate(newCapacity);
        for (int i = 0; i < oldCapacity; i++) {
            final long key = k.getLong(i << 3);
            if (key != 0) {
                final int slot = slot(key);
                keys.putLong(slot << 3, key);
                latest.putLong(slot << 3, l.getLong(i << 3));
                outlets.putShort(slot << 1, o.getShort(i << 1));
                flags.putByte(slot, f.getByte(i));
            }
        }
        // Give the old table back now, not when a collection finds it unreachable.
        oldMemory.free();
    }

    /**
     * The table is at its memory bound: forget the parcels whose latest record is older than
     * the median of a sample (journal indexes grow with time), which frees about half.
     */
    private void evictOlderHalf() {
        final long[] sample = new long[1024];
        int n = 0;
        final int step = Math.max(1, capacity / (sample.length * 2));
        for (int i = 0; i < capacity && n < sample.length; i += step) {
            if (key(i) != 0) {
                sample[n++] = latest.getLong(i << 3);
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
        return 19L * capacity;
    }

    /** Forget parcels whose latest record is before {@code firstIndex} (their cycles were deleted). */
    public int removeBefore(long firstIndex) {
        int removed = 0;
        for (int i = 0; i < capacity; i++) {
            if (key(i) != 0 && latest.getLong(i << 3) < firstIndex) {
                keys.putLong(i << 3, 0);
                removed++;
            }
        }
        if (removed > 0) {
            size -= removed;
            resize(capacity); // rehash: linear probing cannot leave holes in a chain
        }
        return removed;
    }
}
