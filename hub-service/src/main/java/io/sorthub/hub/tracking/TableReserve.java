package io.sorthub.hub.tracking;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The parcel index's next table, made ready on the index's memory thread ({@link
 * TableMemory#BACKGROUND}) long before the journal writer needs it: every page written once
 * there, or, when the table moved out of has the size the next one needs (a clean-up at the
 * bound replaces a table with one of the same size), that table zeroed again. The writer then
 * starts a move into memory that faults no more: a fresh table's pages first touched by the
 * writer held it, and every ACK behind it, for 300 ms over a clean-up of an 80 MB table.
 *
 * <p>{@link #request}, {@link #take} and {@link #reservedBytes} are called by the index's owner
 * (the journal writer; a gauge reads {@link #reservedBytes} too); the work runs on the memory
 * thread and hands its table over through {@link #ready}. A request gets a new number; a table
 * made for a request that is over (replaced, or taken before the table was ready) is unmapped
 * rather than kept, so at most one reserve exists beside the index's tables.
 */
final class TableReserve {
    private final AtomicReference<Ready> ready = new AtomicReference<>();
    /** Bumped by every request and take: work finishing for an older number is thrown away. */
    private volatile long request;
    /** Bytes of the table asked for and not yet taken; 0 when none. */
    private volatile long reserved;

    /** A table made ready for one request. */
    private record Ready(long request, TableMemory memory) {
    }

    /**
     * Make a table of {@code bytes} ready, from {@code recycled} when it has that size (it is
     * unmapped otherwise, first, so the two are never mapped at once). Replaces an earlier
     * request, and unmaps what it made ready.
     *
     * @param recycled a table its owner no longer reads, or null
     */
    void request(long bytes, TableMemory recycled) {
        final long number = ++request; // the only writer of the field: not a lost update
        reserved = bytes;
        TableMemory.BACKGROUND.execute(() -> {
            final Ready stale = ready.getAndSet(null);
            if (stale != null) {
                stale.memory().free();
            }
            final TableMemory memory;
            if (recycled != null && recycled.bytes() == bytes) {
                recycled.zero();
                memory = recycled;
            } else {
                if (recycled != null) {
                    recycled.free();
                }
                if (request != number) {
                    return; // asked for something else meanwhile
                }
                memory = TableMemory.allocate(bytes, false);
                memory.touchPages();
            }
            final Ready made = new Ready(number, memory);
            ready.set(made);
            // A take that ran before the set found nothing; it bumped the number first, so this
            // sees it, and takes back what nobody will use (unless a take got it meanwhile).
            if (request != number && ready.compareAndSet(made, null)) {
                memory.free();
            }
        });
    }

    /**
     * The table asked for, when it is ready and of {@code bytes}; null otherwise (the caller
     * maps one itself). Either way the request is over: work still under way for it unmaps what
     * it made.
     */
    TableMemory take(long bytes) {
        final long number = request;
        request = number + 1;
        reserved = 0;
        final Ready taken = ready.getAndSet(null);
        if (taken == null) {
            return null;
        }
        if (taken.request() != number || taken.memory().bytes() != bytes) {
            TableMemory.BACKGROUND.execute(taken.memory()::free);
            return null;
        }
        return taken.memory();
    }

    /** Where the table made ready starts; 0 while none is (tests). */
    long readyAddress() {
        final Ready r = ready.get();
        return r == null ? 0 : r.memory().address();
    }

    /** Bytes held or being made ready for the next table. */
    long reservedBytes() {
        return reserved;
    }
}
