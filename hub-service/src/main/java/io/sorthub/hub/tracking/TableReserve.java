package io.sorthub.hub.tracking;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parcel index's next table, made ready on the index's memory thread ({@link
 * TableMemory#BACKGROUND}) before the journal writer needs it: every page written once there,
 * or, when the table just moved out of has the size the next one needs (a clean-up at the
 * bound replaces a table with one of the same size), that table zeroed again. The writer then
 * starts a move into memory that faults no more: a fresh table's pages first touched by the
 * writer held it, and every ACK behind it, for 300 ms over a clean-up of an 80 MB table.
 *
 * <p>{@link #request}, {@link #takeIfReady} and {@link #cancel} are called by the index's owner
 * (the journal writer); {@link #heldBytes} by gauges too; the work runs on the memory thread and
 * hands its table over through {@link #ready}. A request gets a new number; a table made for a
 * request that is over (replaced or cancelled) is unmapped rather than kept, so the reserve
 * holds at most one table beside one being unmapped.
 */
final class TableReserve {
    private static final Logger LOG = LoggerFactory.getLogger(TableReserve.class);
    private final AtomicReference<Ready> ready = new AtomicReference<>();
    /** Bumped by every request and cancel: work finishing for an older number is thrown away. */
    private volatile long request;
    /** Bytes of the tables the reserve holds: made or handed over for recycling, not yet taken or unmapped. */
    private final AtomicLong held = new AtomicLong();
    private volatile boolean failureLogged;
    /** The number of the last request whose table could not be made. */
    private volatile long failedRequest;
    /** Bytes of the request under way, 0 when none (the writer's only). */
    private long asked;

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
        asked = bytes;
        if (recycled != null) {
            held.addAndGet(recycled.bytes());
        }
        TableMemory.BACKGROUND.execute(() -> {
            try {
                make(number, bytes, recycled);
            } catch (RuntimeException | Error e) { // out of memory: the writer maps its next table itself
                failedRequest = number;
                if (!failureLogged) {
                    failureLogged = true;
                    LOG.warn("parcel index: the next table could not be made ready ({}); the journal writer makes it", e.toString());
                }
            }
        });
    }

    /** On the memory thread. */
    private void make(long number, long bytes, TableMemory recycled) {
        final Ready stale = ready.getAndSet(null);
        if (stale != null) {
            free(stale.memory());
        }
        final TableMemory memory;
        if (recycled != null && recycled.bytes() == bytes && request == number) {
            recycled.zero();
            memory = recycled;
        } else {
            if (recycled != null) {
                free(recycled);
            }
            if (request != number) {
                return; // over already
            }
            memory = TableMemory.allocate(bytes, false);
            held.addAndGet(bytes);
            memory.touchPages();
        }
        final Ready made = new Ready(number, memory);
        ready.set(made);
        // A cancel that ran before the set found nothing; it bumped the number first, so this
        // sees it, and takes back what nobody will use (unless a take got it meanwhile).
        if (request != number && ready.compareAndSet(made, null)) {
            free(memory);
        }
    }

    private void free(TableMemory memory) {
        memory.free();
        held.addAndGet(-memory.bytes());
    }

    /**
     * The table asked for, once it is ready and of {@code bytes}; null otherwise (a table of
     * another size is left where it is; work under way goes on).
     */
    TableMemory takeIfReady(long bytes) {
        final Ready r = ready.get();
        if (r == null || r.memory().bytes() != bytes || !ready.compareAndSet(r, null)) {
            return null;
        }
        held.addAndGet(-bytes);
        if (asked == bytes) {
            asked = 0;
        }
        return r.memory();
    }

    /**
     * {@link #takeIfReady}, waiting for the memory thread up to {@code parks} times a
     * millisecond (a little more each, as the system wakes the thread): for a writer whose table
     * is as full as it may get, so that the bound holds (mapping the table itself would take the
     * writer as long as the work the thread is doing). Null after that, or at once when the
     * request failed.
     */
    TableMemory awaitReady(long bytes, int parks) {
        TableMemory memory = takeIfReady(bytes);
        for (int i = 0; memory == null && i < parks && asked == bytes && !failed(); i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            memory = takeIfReady(bytes);
        }
        return memory;
    }

    /** Whether the memory thread could not make the table of the request under way. */
    boolean failed() {
        return failedRequest == request;
    }

    /** Whether a table of {@code bytes} is asked for and not yet taken. */
    boolean asked(long bytes) {
        return asked == bytes;
    }

    /** End the request: what it made, or makes still, is unmapped on the memory thread. */
    void cancel() {
        request = request + 1;
        asked = 0;
        final Ready r = ready.getAndSet(null);
        if (r != null) {
            TableMemory.BACKGROUND.execute(() -> free(r.memory()));
        }
    }

    /** Where the table made ready starts; 0 while none is (tests). */
    long readyAddress() {
        final Ready r = ready.get();
        return r == null ? 0 : r.memory().address();
    }

    /** Bytes of the tables the reserve holds (a table being unmapped included). */
    long heldBytes() {
        return held.get();
    }
}
