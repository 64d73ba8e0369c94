package io.sorthub.hub.tracking;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * Zeroed memory off the heap for a large table probed at random (the parcel index), in 2 MiB
 * pages where Linux gives them on request (transparent huge pages in "madvise" mode, the
 * common default). With 4 KiB pages a probe into a table of hundreds of megabytes misses the
 * TLB as well as the cache, and on a virtual machine a TLB miss walks two sets of page
 * tables. Where the mapping cannot be made, a direct buffer.
 *
 * <p>Freed by {@link #free()}, or when it becomes unreachable (a table dropped with its
 * owner). Used by the thread that owns the table.
 */
final class TableMemory {
    private static final long HUGE_PAGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final Cleaner CLEANER = Cleaner.create();
    private static volatile boolean mappingRefused;

    private final long address;
    private final ByteBuffer direct; // the fallback, kept reachable with this
    private final Cleaner.Cleanable cleanable;

    private TableMemory(long address, ByteBuffer direct, Runnable release) {
        this.address = address;
        this.direct = direct;
        this.cleanable = CLEANER.register(this, release);
    }

    /** {@code bytes} of zeroed memory (at most 2 GiB - 1 for the fallback's sake). */
    static TableMemory allocate(long bytes) {
        if (!mappingRefused && bytes >= HUGE_PAGE) {
            try {
                final PosixAPI posix = PosixAPI.posix();
                // One huge page more than asked, so the table can start on a 2 MiB boundary.
                final long length = bytes + HUGE_PAGE;
                final long base = posix.mmap(0, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
                if (base != 0 && base != -1) {
                    final long aligned = (base + HUGE_PAGE - 1) & -HUGE_PAGE;
                    posix.madvise(aligned, (bytes + HUGE_PAGE - 1) & -HUGE_PAGE, MAdviseFlag.MADV_HUGEPAGE);
                    return new TableMemory(aligned, null, () -> posix.munmap(base, length));
                }
            } catch (RuntimeException | LinkageError e) {
                mappingRefused = true; // not Linux, or no native access: direct buffers from now on
            }
        }
        final ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(bytes)); // zeroed
        return new TableMemory(org.agrona.BufferUtil.address(buffer), buffer,
            () -> org.agrona.BufferUtil.free(buffer));
    }

    long address() {
        return address;
    }

    /** Give the memory back now. Nothing may read it afterwards. */
    void free() {
        cleanable.clean();
    }
}
