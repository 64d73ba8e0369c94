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
 * <p>The columns live off the heap ({@link TableMemory}: tables made by replay in 2 MiB pages
 * where the system allows), and each table is given back the moment the move out of it ends: a
 * hub indexes parcels for as long as it runs, and on the heap every doubling (tens of megabytes,
 * "humongous" to G1) started a garbage collection in the middle of the sort. The live writer's
 * next table is made ready off its thread while nothing moves ({@link TableReserve}), so a move
 * starts into memory it does not fault in.
 *
 * <p>A doubling, the clean-up at the memory bound and retention's clean-up each move the
 * table into a new one a few slots per update ({@link #MOVE_STEP}), looking parcels up in
 * both until the old one is empty: rehashing millions of parcels at once held the writer, and
 * every ACK waiting for it, for 50 to 150 ms. The bound counts both tables of a move, so the
 * table itself takes at most half of it.
 *
 * <p>It also yields two of the hub's quality figures as it goes, because it is the only
 * place that remembers a parcel between events: completeness (inducted parcels that reach
 * a loading scan) and mis-sorts (a confirmed outlet other than the one decided).
 */
public final class ParcelIndex {
    static final long NONE = 0L;
    private static final float LOAD = 0.75f;
    /**
     * The most slots the table can hold: 2^27, a 1 GiB column of keys and 2.5 GB in all (about
     * 100 M parcels at the load factor); its clean-up at the bound needs twice that.
     */
    private static final int MAX_CAPACITY = 1 << 27;
    private static final byte INDUCTED = 1;
    private static final byte LOADED = 2;
    /** In a table being emptied: this slot's parcel was moved (or dropped) already. */
    private static final int MOVED = 0x40;
    /**
     * Slots of the old table moved per update while a table moves into its successor. A move
     * starts with at most seven eighths of the old capacity in it (three quarters, or more
     * while its next table was being made ready) and ends after an eighth of that capacity's
     * updates, so the new table holds at most the old capacity when it ends: half of a doubled
     * table, and about nine sixteenths of one cleaned up at the bound (the older half dropped):
     * never full, and below its own threshold. A clean-up after retention gets a move of its own only when a sample says a
     * quarter of the table goes, so it too ends below the threshold; otherwise the next
     * doubling or clean-up gives the forgotten slots back.
     */
    private static final int MOVE_STEP = 8;
    /** Slots moved per idle duty cycle: a slice early in a move touches fresh pages of the new table. */
    private static final int IDLE_STEP = 64;
    /** At seven eighths full, how long the writer waits for its next table: about a second (1,000 × 1 ms). */
    private static final int AWAIT_PARKS = 1_000;
    /** While the next table is being made ready, a full table is filled this many more parcels before it looks again. */
    private static final int DEFER_STEP = 64;
    /** A retention clean-up is worth a move of its own when it would forget this share of the table. */
    private static final int FORGET_SHARE_FOR_A_MOVE = 4;

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
    private long forgotten;
    /** Where parcels are recorded and looked up. */
    private Table table = new Table();
    /**
     * The table before the last doubling or clean-up, emptied into {@link #table} a few slots
     * per update (from {@link #cursor}); looked up too until it is empty.
     */
    private Table moving = new Table();
    /** The next slot of {@link #moving} to move; -1 when nothing moves. */
    private int cursor = -1;
    /** Entries of {@link #moving} whose latest record is before this are evicted, not moved. */
    private long keepFrom;
    /**
     * Parcels whose latest record is before this are forgotten (retention deleted their
     * records): looked up as unknown at once, their slots given back as the table moves.
     */
    private long floor;
    /**
     * Replay's batches are being applied: tables made now get 2 MiB pages (see
     * TableMemory.allocate), and a move is done in one pass, as nothing waits for it.
     */
    private boolean replaying;
    /** Entries in {@link #table}. */
    private int size;
    /** Entries of {@link #moving} not yet moved or dropped. */
    private int movingLeft;
    private int resizeAt;
    private final long[] sample = new long[1024];
    /** The live writer's next table, made ready off the writer (not used by replay). */
    private final TableReserve reserve = new TableReserve();
    /** Retention asked for a move of its own: it starts once a table of this size is ready. */
    private boolean retentionMove;

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
     * An index bounded to half the heap's size (beside the heap, in memory of its own:
     * {@link TableMemory}): the table itself at most a quarter, as many parcels as a table
     * bounded to a quarter held when a clean-up rehashed it in place.
     */
    public ParcelIndex() {
        this(Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * @param maxBytes the most the index may take, a move from one table to the next
     *                 included; when doubling would pass it, the older half of the parcels is
     *                 forgotten instead (their records stay in the journal:
     *                 {@code journal export --barcode} still finds them)
     */
    public ParcelIndex(long maxBytes) {
        this.maxBytes = Math.max(maxBytes, 19L << 17);
        TableMemory.loadNativeCalls();
        table.allocate(TableMemory.allocate(19L << 16, false), 1 << 16);
        resizeAt = (int) (table.capacity * LOAD);
        prepareNext();
    }

    /**
     * Have the next table made ready for the live writer, off its thread (and recycle {@code
     * done}, a table moved out of, when it has that size; unmap it otherwise). Called when a
     * move ends outside replay, and once replay has finished.
     */
    private void prepareNext(TableMemory done) {
        reserve.request(19L * nextCapacity(), done);
    }

    private void prepareNext() {
        prepareNext(null);
    }

    /** Replay has built the index: make the live writer's next table ready. */
    public void replayed() {
        if (cursor < 0) {
            prepareNext();
        }
    }

    /**
     * Record that the parcel's latest record is now at {@code index}, of {@code kind}, with
     * {@code outlet} (decided for a sort request, reported for a confirmation).
     *
     * @return the previous latest index of the hash, 0 when none
     */
    public long record(long hash, long index, int kind, int outlet) {
        final long key = hash == 0 ? 1 : hash; // 0 marks an empty slot
        if (cursor >= 0) {
            moveSome(MOVE_STEP);
        } else if (retentionMove) {
            startRetentionMoveIfReady();
        }
        int slot = find(key);
        if (table.key(slot) != key) {
            if (size >= resizeAt) {
                makeRoom();
                slot = find(key);
            }
            if (table.key(slot) != key) {
                table.keys.putLong(slot << 3, key);
                size++;
            }
        }
        final Table t = table;
        final long previous = t.latest.getLong(slot << 3);
        t.latest.putLong(slot << 3, index);
        final int had = t.flags(slot);
        if (kind == EventKind.SORT_REQUEST.code()) {
            if ((had & INDUCTED) == 0) {
                t.flags.putByte(slot, (byte) (had | INDUCTED));
                quality.inducted++;
            }
            t.outlets.putShort(slot << 1, (short) outlet);
        } else if (kind == EventKind.LOADING.code()) {
            if ((had & (INDUCTED | LOADED)) == INDUCTED) {
                t.flags.putByte(slot, (byte) (had | LOADED));
                quality.loaded++;
            }
        } else if (kind == EventKind.CONFIRM_DIVERTED.code() && t.outlet(slot) != 0 && outlet != 0) {
            // outlet 0: the sorter did not say where it diverted, so nothing to compare
            quality.confirmed++;
            if (t.outlet(slot) != outlet) {
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
        final Table t = table;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            final int home = t.home(batchHashes[i] == 0 ? 1 : batchHashes[i]);
            sum += t.keys.getLong(home << 3) + t.latest.getLong(home << 3) + t.outlets.getShort(home << 1) + t.flags.getByte(home);
        }
        touched += sum;
        replaying = true;
        try {
            for (int i = 0; i < n; i++) {
                record(batchHashes[i], batchIndexes[i], batchKinds[i], batchOutlets[i]);
            }
        } finally {
            replaying = false;
            batched = 0;
        }
    }

    /** Journal index of the latest record of the hash; 0 when none. */
    public long latest(long hash) {
        final long key = hash == 0 ? 1 : hash;
        final int slot = table.slot(key);
        if (table.key(slot) == key) {
            final long at = table.latest.getLong(slot << 3);
            return at >= floor ? at : NONE;
        }
        final int old = stillMoving(key);
        if (old >= 0) {
            final long at = moving.latest.getLong(old << 3);
            return at >= keepFrom && at >= floor ? at : NONE;
        }
        return NONE;
    }

    /**
     * The slot of {@code key} in {@link #table}, or the empty slot where it would go. A key
     * still in {@link #moving} is moved first (or dropped, when it is older than what is kept),
     * so a parcel is in one table only and the move never overwrites a newer entry.
     */
    private int find(long key) {
        final int slot = table.slot(key);
        if (table.key(slot) == key) {
            if (table.latest.getLong(slot << 3) < floor) { // forgotten: from here on a new parcel
                table.put(slot, key, NONE, (short) 0, 0);
                forgotten++;
            }
            return slot;
        }
        final int old = stillMoving(key);
        if (old < 0) {
            return slot;
        }
        final int oldFlags = moving.flags(old);
        moving.flags.putByte(old, (byte) (oldFlags | MOVED));
        movingLeft--;
        final long at = moving.latest.getLong(old << 3);
        if (at < floor) {
            forgotten++;
        } else if (at < keepFrom) {
            evicted++;
        } else {
            table.put(slot, key, at, moving.outlets.getShort(old << 1), oldFlags);
            size++;
        }
        return slot;
    }

    /**
     * The slot of {@code key} in {@link #moving} while it is there to be moved; -1 when no move
     * is under way, the key is not there, or its slot was moved or dropped already (behind the
     * cursor, or adopted by {@link #find}).
     */
    private int stillMoving(long key) {
        if (cursor < 0) {
            return -1;
        }
        final int old = moving.slot(key);
        return old >= cursor && moving.key(old) == key && (moving.flags(old) & MOVED) == 0 ? old : -1;
    }

    /**
     * Move up to {@code slots} slots of {@link #moving} into {@link #table}. A doubling or a
     * clean-up moves {@link #MOVE_STEP} slots per update instead of all at once: at millions of
     * parcels a whole rehash held the writer, and every ACK behind it, for 50 to 150 ms.
     */
    private void moveSome(int slots) {
        final Table from = moving;
        final int end = (int) Math.min((long) cursor + slots, from.capacity);
        for (int i = cursor; i < end; i++) {
            final long key = from.key(i);
            final int flags;
            if (key != 0 && ((flags = from.flags(i)) & MOVED) == 0) {
                movingLeft--;
                final long at = from.latest.getLong(i << 3);
                if (at < floor) {
                    forgotten++;
                } else if (at < keepFrom) {
                    evicted++;
                } else {
                    table.put(table.slot(key), key, at, from.outlets.getShort(i << 1), flags);
                    size++;
                }
            }
        }
        cursor = end;
        if (end == from.capacity) {
            cursor = -1;
            keepFrom = 0;
            if (replaying) {
                from.release().freeInBackground();
            } else {
                prepareNext(from.release());
            }
        }
    }

    /**
     * Move a slice of a move under way while the writer has nothing else to do, so that at a
     * hub's quiet rates the old table is not kept for hours. A slice is small ({@link
     * #IDLE_STEP} slots: its inserts may each fault in a fresh page of the new table), and it is
     * all a batch arriving meanwhile waits.
     *
     * @return slots moved, 0 when no move is under way
     */
    public int moveWhileIdle() {
        if (cursor < 0 && retentionMove) {
            startRetentionMoveIfReady();
        }
        if (cursor < 0) {
            return 0;
        }
        final int from = cursor;
        final int end = moving.capacity; // freed when the move ends
        moveSome(IDLE_STEP);
        return Math.max(1, (cursor < 0 ? end : cursor) - from);
    }

    /** Finish what moves now; once done, nothing is looked up outside {@link #table}. */
    void settle() {
        if (cursor >= 0) {
            moveSome(Integer.MAX_VALUE);
        }
    }

    /**
     * The table is full: double it, or at the memory bound forget the parcels whose latest
     * record is older than the median of a sample (journal indexes grow with time), which frees
     * about half. Either way into a new table, filled a few slots per update from here on.
     */
    private void makeRoom() {
        settle();
        final int capacity = nextCapacity();
        TableMemory memory = null;
        if (!replaying) {
            retentionMove = false; // this move gives retention's slots back too
            memory = reserve.takeIfReady(19L * capacity);
            if (memory == null) {
                if (!reserve.asked(19L * capacity)) {
                    reserve.request(19L * capacity, null);
                }
                final int hardLimit = table.capacity - (table.capacity >> 3);
                if (size < hardLimit && !reserve.failed()) { // the next table is still being made ready: fill this one further meanwhile
                    resizeAt = Math.min(size + DEFER_STEP, hardLimit);
                    return;
                }
                // The memory thread is a whole fill behind: wait for it (it is doing what the writer
                // would otherwise do itself) rather than map a table beside what it holds.
                memory = reserve.awaitReady(19L * capacity, AWAIT_PARKS);
                if (memory == null) {
                    reserve.cancel(); // stuck, or failed: the writer maps the table itself
                }
            }
        }
        startMoving(capacity, capacity > table.capacity ? 0 : medianLatest(), memory);
    }

    private void startRetentionMoveIfReady() {
        final TableMemory memory = reserve.takeIfReady(19L * table.capacity);
        if (memory != null) {
            retentionMove = false;
            startMoving(table.capacity, 0, memory);
        }
    }

    /**
     * The capacity {@link #makeRoom} moves into: doubled only while a later clean-up of the
     * doubled table (two of its size during the move) still fits the bound. The bound holds for
     * moves and the reserve too: a table just moved out of may stay mapped a moment longer while
     * the memory thread unmaps it or makes it the next, and the next is at most twice the table,
     * made ready while nothing moves. A memory thread a whole fill behind (the table at seven
     * eighths with its next not ready) is waited for; only one stuck for a second more breaks
     * it, briefly: the writer then maps the table itself, and what the thread was making is
     * unmapped once it is done.
     */
    private int nextCapacity() {
        final int capacity = table.capacity;
        return 19L * capacity * 4 <= maxBytes && capacity < MAX_CAPACITY ? capacity * 2 : capacity;
    }

    /** The median latest record of a sample of the parcels not yet forgotten; MAX_VALUE for none. */
    private long medianLatest() {
        final int n = sampleLatest();
        java.util.Arrays.sort(sample, 0, n);
        int from = 0;
        while (from < n && sample[from] < floor) {
            from++;
        }
        return from == n ? Long.MAX_VALUE : sample[from + (n - from) / 2];
    }

    /** Fill {@link #sample} with the latest records of parcels spread over the table; how many. */
    private int sampleLatest() {
        final Table t = table;
        int n = 0;
        final int step = Math.max(1, t.capacity / (sample.length * 2));
        for (int i = 0; i < t.capacity && n < sample.length; i += step) {
            if (t.key(i) != 0) {
                sample[n++] = t.latest.getLong(i << 3);
            }
        }
        return n;
    }

    /**
     * {@link #table} becomes {@link #moving}; a new, empty table of {@code capacity} slots takes
     * its place: {@code memory} made ready for it, or, when null, mapped now.
     */
    private void startMoving(int capacity, long keepFrom, TableMemory memory) {
        final Table next = moving;
        next.allocate(memory != null ? memory : TableMemory.allocate(19L * capacity, replaying), capacity);
        moving = table;
        table = next;
        movingLeft = size;
        size = 0;
        cursor = 0;
        this.keepFrom = keepFrom;
        if (replaying) {
            settle();
        }
        resizeAt = (int) (capacity * LOAD);
    }

    /** Parcels forgotten because the index reached its memory bound. */
    public long evicted() {
        return evicted;
    }

    /** Parcels forgotten because the journal cycles their records were in were deleted. */
    public long forgotten() {
        return forgotten;
    }

    /**
     * Parcels indexed (those a clean-up under way will still drop included). Read by gauges on
     * other threads without a lock: around the start of a move it may miss one table's count.
     */
    public int size() {
        return size + (cursor >= 0 ? movingLeft : 0);
    }

    public Quality quality() {
        return quality;
    }

    /** Bytes the table's columns hold now (both tables while one moves into the other). */
    public long bytes() {
        return 19L * (table.capacity + (cursor >= 0 ? moving.capacity : 0));
    }

    /**
     * All the memory the index holds: {@link #bytes()} and the next table, made ready while
     * nothing moves (a recycled table in the clean-ups at the bound). Read by gauges on other
     * threads without a lock, as {@link #size()}.
     */
    public long memoryBytes() {
        return bytes() + reserve.heldBytes();
    }

    /**
     * Forget parcels whose latest record is before {@code firstIndex} (their cycles were
     * deleted): from here on they are looked up as unknown. Their slots are given back by a move
     * into a new table of the same size over the next updates when a sample says a quarter of
     * the table or more goes; otherwise, and for those a move under way has already passed, by
     * the next doubling or clean-up at the bound ({@link #forgotten()} counts them as they go,
     * and {@link #size()} until then).
     */
    public void forgetBefore(long firstIndex) {
        if (firstIndex <= floor) {
            return;
        }
        floor = firstIndex;
        if (cursor < 0 && size >= resizeAt) {
            makeRoom(); // full: double, or clean up at the bound, forgetting on the way
        } else if (cursor < 0 && size < (int) (table.capacity * LOAD) && shareBelow(firstIndex) * FORGET_SHARE_FOR_A_MOVE >= 1) {
            // (a table filling past three quarters while its next is made is left to makeRoom)
            // into a table of the same size, made ready first (at the bound the next one is)
            retentionMove = true;
            if (!reserve.asked(19L * table.capacity)) {
                reserve.request(19L * table.capacity, null);
            }
            startRetentionMoveIfReady();
        }
    }

    /** Of a sample of the table's parcels, the share whose latest record is before {@code index}. */
    private double shareBelow(long index) {
        final int n = sampleLatest();
        int below = 0;
        for (int i = 0; i < n; i++) {
            if (sample[i] < index) {
                below++;
            }
        }
        return n == 0 ? 0 : (double) below / n;
    }

    /** The reserve and where the table starts, for tests. */
    TableReserve reserve() {
        return reserve;
    }

    long tableAddress() {
        return table.keys.addressOffset();
    }

    /** One open-addressing table: four parallel columns in one block of memory. */
    private static final class Table {
        final UnsafeBuffer keys = new UnsafeBuffer(0, 0);
        final UnsafeBuffer latest = new UnsafeBuffer(0, 0);
        final UnsafeBuffer outlets = new UnsafeBuffer(0, 0);
        final UnsafeBuffer flags = new UnsafeBuffer(0, 0);
        TableMemory memory;
        int capacity;

        /** @param memory one block of 19 bytes a slot for the four columns, zeroed: every slot empty */
        void allocate(TableMemory memory, int capacity) {
            this.memory = memory;
            final long at = memory.address();
            keys.wrap(at, capacity * Long.BYTES);
            latest.wrap(at + (long) capacity * Long.BYTES, capacity * Long.BYTES);
            outlets.wrap(at + (long) capacity * 2 * Long.BYTES, capacity * Short.BYTES);
            flags.wrap(at + (long) capacity * (2 * Long.BYTES + Short.BYTES), capacity);
            this.capacity = capacity;
        }

        /**
         * Hand the memory over (to be unmapped on the memory thread, or zeroed there as the next
         * table), not left for a collection to find unreachable; the table reads nothing after.
         */
        TableMemory release() {
            final TableMemory released = memory;
            memory = null;
            capacity = 0;
            keys.wrap(0, 0); // a stray read now fails a bounds check, not the process
            latest.wrap(0, 0);
            outlets.wrap(0, 0);
            flags.wrap(0, 0);
            return released;
        }

        long key(int slot) {
            return keys.getLong(slot << 3);
        }

        int flags(int slot) {
            return flags.getByte(slot);
        }

        int outlet(int slot) {
            return outlets.getShort(slot << 1) & 0xFFFF;
        }

        int home(long key) {
            return (int) (key ^ (key >>> 32)) & (capacity - 1);
        }

        /**
         * The slot holding {@code key}, or the empty slot where it would go (linear probing).
         * A full table is a defect: it fails the writer (which stops the hub, named) rather than
         * probe for ever.
         */
        int slot(long key) {
            final int mask = capacity - 1;
            int slot = home(key);
            int probes = 0;
            long at;
            while ((at = key(slot)) != 0 && at != key) {
                slot = (slot + 1) & mask;
                if (++probes == capacity) {
                    throw new IllegalStateException("parcel index: no free slot in a table of " + capacity);
                }
            }
            return slot;
        }

        void put(int slot, long key, long latestIndex, short outlet, int flagBits) {
            keys.putLong(slot << 3, key);
            latest.putLong(slot << 3, latestIndex);
            outlets.putShort(slot << 1, outlet);
            flags.putByte(slot, (byte) (flagBits & ~MOVED));
        }
    }
}
