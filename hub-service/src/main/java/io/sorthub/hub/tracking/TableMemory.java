package io.sorthub.hub.tracking;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.agrona.UnsafeApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;

/**
 * Zeroed memory off the heap for a large table probed at random (the parcel index), in 2 MiB
 * pages when asked for them and Linux gives them on request (transparent huge pages in
 * "madvise" mode, the common default), in 4 KiB pages otherwise. With 4 KiB pages a probe into a table of hundreds of megabytes misses the
 * TLB as well as the cache, and on a virtual machine a TLB miss walks two sets of page
 * tables. Where no mapping can be made (not Linux, no native access, or the system refused
 * this one): memory from {@code Unsafe.allocateMemory}, zeroed. Neither counts against
 * {@code -XX:MaxDirectMemorySize}: the index's own bound is {@code parcelIndexMaxBytes}.
 *
 * <p>Freed by {@link #free()}, by {@link #freeInBackground()} (the parcel index's tables once
 * moved out of, unmapped on its memory thread), or when it becomes unreachable (a table
 * dropped with its owner), by a cleaner thread. Used by the thread that owns the table.
 */
final class TableMemory {
    private static final Logger LOG = LoggerFactory.getLogger(TableMemory.class);
    private static final long HUGE_PAGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final long PAGE = 4096;
    /** The index's memory thread: unmaps tables moved out of, and makes the next ones ready ({@link TableReserve}). */
    static final java.util.concurrent.Executor BACKGROUND = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
        final Thread thread = new Thread(task, "parcel-index-memory");
        thread.setDaemon(true);
        return thread;
    });
    /** No native access at all: don't try again. A refused mapping is tried again next time. */
    private static volatile boolean noNativeAccess;
    private static volatile boolean adviceRefusedLogged;

    private final long address;
    private final long bytes;
    private final Cleaner.Cleanable cleanable;

    private TableMemory(long address, long bytes, Runnable release) {
        this.address = address;
        this.bytes = bytes;
        this.cleanable = CLEANER.register(this, release);
    }

    /**
     * Load the native calls now, on the calling thread: the first mapping otherwise loads them,
     * on the thread that first doubles a table (the journal writer: about 150 ms it would hold
     * every ACK for).
     */
    static void loadNativeCalls() {
        if (noNativeAccess) {
            return;
        }
        try {
            final PosixAPI posix = PosixAPI.posix();
            final long page = posix.mmap(0, 4096, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
            if (page != 0 && page != -1) {
                posix.madvise(page, 4096, MAdviseFlag.MADV_HUGEPAGE);
                posix.munmap(page, 4096);
            }
        } catch (LinkageError | RuntimeException e) {
            noNativeAccess = true; // not Linux, or no native library: Unsafe's memory from here on
        }
    }

    /**
     * {@code bytes} of zeroed memory, 2 MiB aligned when mapped.
     *
     * @param hugePages advise 2 MiB pages: for a table filled at millions of probes a second
     *                  (replay), where TLB misses count. Not for a table a live writer fills:
     *                  the first touch of each 2 MiB page zeroes it in one fault: updates that
     *                  made one took 9 to 13 ms on a 2 vCPU VM (BENCHMARKS.md), which the writer
     *                  and every ACK behind it wait for; a 4 KiB page's first touch costs
     *                  microseconds.
     */
    static TableMemory allocate(long bytes, boolean hugePages) {
        if (!noNativeAccess && bytes >= HUGE_PAGE) {
            final TableMemory mapped = map(bytes, hugePages);
            if (mapped != null) {
                return mapped;
            }
        }
        final long at = UnsafeApi.allocateMemory(bytes);
        UnsafeApi.setMemory(at, bytes, (byte) 0);
        return new TableMemory(at, bytes, () -> UnsafeApi.freeMemory(at));
    }

    private static TableMemory map(long bytes, boolean hugePages) {
        final PosixAPI posix;
        try {
            posix = PosixAPI.posix();
        } catch (LinkageError | RuntimeException e) {
            noNativeAccess = true;
            return null;
        }
        // Rounded up to whole huge pages, and one more, so the table can start on a boundary
        // and the advice never reaches past the mapping.
        final long rounded = (bytes + HUGE_PAGE - 1) & -HUGE_PAGE;
        final long length = rounded + HUGE_PAGE;
        final long base;
        try {
            base = posix.mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
        } catch (UnsupportedOperationException | LinkageError e) {
            noNativeAccess = true; // not Linux, or no native library
            return null;
        } catch (RuntimeException e) {
            return null; // refused this time (ENOMEM...): this allocation only
        }
        if (base == 0 || base == -1) {
            return null;
        }
        final long aligned = (base + HUGE_PAGE - 1) & -HUGE_PAGE;
        if (!hugePages) {
            try { // where transparent huge pages are "always", say no for this table
                posix.madvise(aligned, rounded, MAdviseFlag.MADV_NOHUGEPAGE);
            } catch (RuntimeException e) {
                // 4 KiB pages anyway wherever huge pages come only on request
            }
            return new TableMemory(aligned, bytes, () -> posix.munmap(base, length));
        }
        int advised;
        try {
            advised = posix.madvise(aligned, rounded, MAdviseFlag.MADV_HUGEPAGE);
        } catch (RuntimeException e) {
            advised = -1;
        }
        if (advised != 0 && !adviceRefusedLogged) {
            adviceRefusedLogged = true;
            LOG.info("parcel index: 2 MiB pages not available (transparent huge pages off?); 4 KiB pages");
        }
        return new TableMemory(aligned, bytes, () -> posix.munmap(base, length));
    }

    long address() {
        return address;
    }

    /** The bytes asked for. */
    long bytes() {
        return bytes;
    }

    /**
     * Write to every page, so that each is in memory, writable, before the table's owner
     * touches it. Left to the journal writer, the first touch of each page of a fresh table is
     * a read fault that maps the shared zero page, then a write fault that copies it and flushes
     * the TLB of every core the process runs on (on a VM an interrupt to the other core each
     * time): a clean-up at the bound faults in 20,000 pages of an 80 MB table, which held the
     * writer, and every ACK behind it, for 300 ms (BENCHMARKS.md). A first touch that writes
     * takes one fault and flushes nothing. Run on {@link #BACKGROUND}, before the table is used.
     */
    void touchPages() {
        for (long at = 0; at < bytes; at += PAGE) {
            UnsafeApi.putByte(address + at, (byte) 0);
        }
    }

    /** Zero the table again, for another move: its pages are in memory already, so no fault at all. */
    void zero() {
        UnsafeApi.setMemory(address, bytes, (byte) 0);
    }

    /** Give the memory back now; once only. Nothing may read it afterwards. */
    void free() {
        cleanable.clean();
    }

    /**
     * Give the memory back on a thread of its own: unmapping a table of tens of megabytes
     * that was written all over takes milliseconds (an update that did it took 3 to 11.5 ms here), which
     * the journal writer would otherwise spend. Nothing may read it afterwards.
     */
    void freeInBackground() {
        BACKGROUND.execute(cleanable::clean);
    }
}
