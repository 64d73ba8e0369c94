package io.sorthub.kit.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Linux not to read around an appender's page faults: for the one thread that appends to
 * a queue (the hub's journal writer, the gateway's spool on its event loop).
 *
 * <p>Chronicle writes a queue through a shared memory mapping of a sparse file. The first
 * write to a page not yet in the page cache faults, and for a file mapping the kernel then reads
 * around the page: up to the disk's {@code read_ahead_kb} (8 MiB on the benchmark machine's
 * virtio disk), every page of it a hole it fills with zeros, on the faulting thread. On the
 * hub's journal writer that was a 20 to 30 ms stall every few megabytes, with every ACK behind
 * it (BENCHMARKS.md). {@code MADV_RANDOM} on each chunk of the mapping the appender writes into
 * makes such a fault bring in its own page only: microseconds, spread evenly. Only the chunks
 * the appender moves into are advised (readers in the same process share those mappings, and
 * find the pages just written in the page cache); replay of older chunks keeps its read-ahead.
 *
 * <p>{@link #follow} costs a field read and a compare per record; the system call is made once
 * per chunk. Where there is no native access (not Linux), it does nothing.
 */
public final class WriteFaultAdvice {
    private static final Logger LOG = LoggerFactory.getLogger(WriteFaultAdvice.class);
    private static final long PAGE = 4096;
    private final PosixAPI posix;
    private BytesStore<?, ?> advised;
    private long chunksAdvised;
    private long refused;

    public WriteFaultAdvice() {
        this.posix = loadNativeCalls(); // here, not on the first record: loading takes ~150 ms
    }

    private static PosixAPI loadNativeCalls() {
        try {
            final PosixAPI api = PosixAPI.posix();
            api.getpid(); // binds the library now
            return api;
        } catch (LinkageError | RuntimeException e) {
            LOG.info("no native calls here (not Linux?): the kernel may read around a queue appender's page faults");
            return null;
        }
    }

    /** Before or after a record is written through {@code bytes}: advise the chunk it is in, if new. */
    public void follow(Bytes<?> bytes) {
        final BytesStore<?, ?> store = bytes.bytesStore();
        if (store != advised) {
            advised = store;
            if (posix != null && store instanceof MappedBytesStore) {
                advise((MappedBytesStore) store);
            }
        }
    }

    private void advise(MappedBytesStore chunk) {
        final long address = chunk.addressForRead(chunk.start());
        final long from = address & -PAGE;
        final long length = (address - from + chunk.realCapacity()) & -PAGE;
        int result;
        try {
            result = posix.madvise(from, length, MAdviseFlag.MADV_RANDOM);
        } catch (RuntimeException e) {
            result = -1;
        }
        if (result == 0) {
            chunksAdvised++;
        } else {
            refused++; // the kernel's read-around stays for this chunk: slower, never wrong
        }
    }

    /** Chunks of the queue's mapping advised so far. */
    public long chunksAdvised() {
        return chunksAdvised;
    }

    /** Chunks whose advice the system refused. */
    public long refused() {
        return refused;
    }
}
