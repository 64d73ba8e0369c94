package io.sorthub.hub.journal;

import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.routing.Decision;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The journal writer as every other thread sees it (after Aeron's {@code SenderProxy}): the
 * only way to hand the writer work. Event loops offer scan records to a many-to-one ring and
 * wake the writer once per read batch; the HTTP API and housekeeping put control tasks on a
 * bounded queue. Both are back-pressure as a return value, never an exception or a block:
 * a full ring makes {@link #offerScan} return false (the session stops reading), a full
 * control queue fails the task's future at once and is counted.
 *
 * <p>Thread-safe: any thread. The writer side ({@link JournalAgent}) attaches itself once.
 */
public final class JournalProxy {
    /** The ring's message type of a scan record. */
    public static final int SCAN_MSG_TYPE = 1;
    /** Control tasks waiting, at most. */
    public static final int CONTROL_CAPACITY = 1024;

    private final ManyToOneRingBuffer ring;
    private final ManyToOneConcurrentArrayQueue<ControlTask<?>> control =
        new ManyToOneConcurrentArrayQueue<>(CONTROL_CAPACITY);
    private final WakeableIdleStrategy idle = new WakeableIdleStrategy(this::hasWork);
    private final AtomicLong controlRefused = new AtomicLong();
    private volatile JournalAgent agent;
    private volatile IllegalStateException failed;

    /** @param ringBytes the scan ring's capacity, a power of two */
    public JournalProxy(int ringBytes) {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    void attach(JournalAgent writer) {
        this.agent = writer;
    }

    // --- event loops: the hot path --------------------------------------------------------

    /**
     * Put a scan and its decision on the ring. Allocation-free.
     *
     * @return false when the ring has no room: keep the frame, stop reading, retry later
     */
    public boolean offerScan(int sourceId, long receivedAtNs, Decision decision, ScanFlyweight scan) {
        return offerScan(sourceId, receivedAtNs, decision, scan, scan);
    }

    /** As above, for a scan routed by another barcode (a re-keyed no-read): the record keeps both. */
    public boolean offerScan(int sourceId, long receivedAtNs, Decision decision, ScanFlyweight scan, ScanFlyweight routed) {
        final int trailer = ScanRecord.trailerLength(decision, scan, routed);
        final int index = ring.tryClaim(SCAN_MSG_TYPE, ScanRecord.FIXED_LENGTH + scan.frameLength() + trailer);
        if (index < 0) {
            return false;
        }
        ScanRecord.encode(ring.buffer(), index, sourceId, receivedAtNs, decision, scan, routed);
        ring.commit(index);
        return true;
    }

    /** Tell the writer that work was queued: once per read batch is enough. */
    public void wake() {
        idle.wake();
    }

    /** Bytes of scan records waiting for the writer. */
    public int queuedBytes() {
        return ring.size();
    }

    /** The writer failed: nothing more is journaled or acknowledged (fail-stop). */
    public boolean writerFailed() {
        return failed != null;
    }

    // --- control plane: not hot, may allocate ---------------------------------------------

    /** Journal a control record (plan, outlet state, audit); completes with its index once durable. */
    public CompletableFuture<Long> append(byte[] record) {
        return call(() -> agent.stage(record), true).thenApply(java.util.function.LongSupplier::getAsLong);
    }

    /** Journal index of the latest record of a barcode hash (0 when none), read on the writer thread. */
    public CompletableFuture<Long> latestIndexOf(long barcodeHash) {
        return call(() -> agent.latestIndexOf(barcodeHash), false);
    }

    /** Run {@code task} on the writer thread with the parcel index it owns. */
    public <T> CompletableFuture<T> withParcels(Function<ParcelIndex, T> task) {
        return call(() -> task.apply(agent.parcels()), false);
    }

    /** Run {@code task} on the writer thread (a chore of a table it owns); journals nothing. */
    public CompletableFuture<Void> onWriter(Runnable task) {
        return call(() -> {
            task.run();
            return null;
        }, false);
    }

    /** Journal a source's reset record, then start the source again at sequence 1. */
    public CompletableFuture<Long> resetSource(int sourceId, byte[] record) {
        return call(() -> agent.resetSource(sourceId, record), true).thenApply(java.util.function.LongSupplier::getAsLong);
    }

    private <T> CompletableFuture<T> call(Supplier<T> work, boolean writes) {
        final ControlTask<T> task = new ControlTask<>(work, writes);
        final IllegalStateException stopped = failed;
        if (stopped != null) {
            task.fail(stopped);
        } else if (!control.offer(task)) {
            controlRefused.incrementAndGet();
            task.fail(new IllegalStateException("the journal writer's control queue is full (" + CONTROL_CAPACITY
                + " tasks waiting); try again"));
        } else {
            idle.wake();
        }
        return task.future;
    }

    /** Control tasks refused because the queue was full. */
    public long controlRefused() {
        return controlRefused.get();
    }

    // --- the writer's side ------------------------------------------------------------------

    /** The writer's idle strategy: spins briefly, then parks until {@link #wake} or 1 ms. */
    public WakeableIdleStrategy idleStrategy() {
        return idle;
    }

    boolean hasWork() {
        final JournalAgent writer = agent;
        return ring.size() > 0 || !control.isEmpty() || (writer != null && writer.hasReplicated());
    }

    /** The scan ring: the writer drains it; tests read it to see what an event loop queued. */
    public RingBuffer ring() {
        return ring;
    }

    ControlTask<?> pollControl() {
        return control.poll();
    }

    /** Writer thread: fail whatever waits and everything offered from now on. */
    void writerFailed(IllegalStateException why) {
        failed = why;
        for (ControlTask<?> task = control.poll(); task != null; task = control.poll()) {
            task.fail(why);
        }
    }

    /** A unit of control work: run on the writer thread, completed only after the batch's force. */
    static final class ControlTask<T> {
        final Supplier<T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final boolean writes;
        private T result;

        ControlTask(Supplier<T> work, boolean writes) {
            this.work = work;
            this.writes = writes;
        }

        /** True when it journals something (refused on a pair's standby). */
        boolean writes() {
            return writes;
        }

        void run() {
            result = work.get();
        }

        void complete() {
            future.complete(result);
        }

        void fail(Throwable why) {
            future.completeExceptionally(why);
        }
    }
}
