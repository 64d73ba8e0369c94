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
 * makes such a fault bring in its own page only: microseconds, spread evenly. Only the chunk
 * the appender is in is advised; the one it leaves gets the default back, so readers in this
 * process that share the mapping (the exporter catching up) read ahead as before.
 *
 * <p>{@link #follow} runs after Chronicle has positioned the record, so the first page of a
 * chunk or of a new cycle file may still be faulted in with read-around, once per chunk.
 * It costs a field read and a compare per record; the system calls are made once per chunk.
 * Where there is no native access (not Linux), it does nothing.
 */
public final class WriteFaultAdvice {
    private static final Logger LOG = LoggerFactory.getLogger(WriteFaultAdvice.class);
    private static final long PAGE = 4096;
    private PosixAPI posix;
    private BytesStore<?, ?> advised;
    private long advisedFrom;
    private long advisedLength;
    private long chunksAdvised;
    private long refused;
    private long chunkStart;

    public WriteFaultAdvice() {
        this.posix = loadNativeCalls(); // here, not on the first record: loading takes ~150 ms
    }

    private static PosixAPI loadNativeCalls() {
        try {
            final PosixAPI api = PosixAPI.posix();
            api.getpid(); // binds the library now
            return api;
        } catch (LinkageError | RuntimeException e) {
            LOG.warn("no native calls ({}): the kernel may read around a queue appender's page faults, "
                + "megabytes at a time on a disk with a large read_ahead_kb", e.toString());
            return null;
        }
    }

    /**
     * Before a record is written through {@code bytes}: advise the chunk it is in, if new.
     *
     * @return whether the appender moved into another chunk ({@link #chunkStart()} says where)
     */
    public boolean follow(Bytes<?> bytes) {
        final BytesStore<?, ?> store = bytes.bytesStore();
        if (store == advised) {
            return false;
        }
        advised = store;
        if (store instanceof MappedBytesStore) {
            chunkStart = ((MappedBytesStore) store).start();
            if (posix != null) {
                moveTo((MappedBytesStore) store);
            }
        }
        return true;
    }

    /**
     * The file offset where the chunk the appender writes into starts: the file below it was
     * written through chunks it has left (0 before the first mapped chunk).
     */
    public long chunkStart() {
        return chunkStart;
    }

    private void moveTo(MappedBytesStore chunk) {
        try {
            if (advisedLength != 0) {
                // The chunk left behind gets its read-ahead back, for readers in this process
                // that share its mapping (and may catch up over pages evicted since). If it is
                // unmapped already, the call fails; if its range now holds another mapping,
                // that mapping had the default advice anyway (the new chunk is advised below).
                posix.madvise(advisedFrom, advisedLength, MAdviseFlag.MADV_NORMAL);
                advisedLength = 0;
            }
            // The mapping: the chunk and the overlap Chronicle maps after it, from its base.
            // realCapacity() is the file offset of the mapping's end, not its length.
            final long address = chunk.addressForRead(chunk.start());
            final long from = address & -PAGE;
            final long length = (address - from + chunk.realCapacity() - chunk.start()) & -PAGE;
            if (posix.madvise(from, length, MAdviseFlag.MADV_RANDOM) == 0) {
                advisedFrom = from;
                advisedLength = length;
                chunksAdvised++;
            } else {
                refused(null);
            }
        } catch (RuntimeException | LinkageError e) {
            posix = null; // no more calls: the appender must not fail for advice
            refused(e);
        }
    }

    private void refused(Throwable cause) {
        if (refused++ == 0) { // once: the read-around stays, slower, never wrong
            LOG.warn("the system refused MADV_RANDOM on a queue's mapping{}: page faults may read around",
                cause == null ? "" : " (" + cause + ")");
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
