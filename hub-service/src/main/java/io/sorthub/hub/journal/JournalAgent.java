package io.sorthub.hub.journal;

import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The journal's single writer. Event loops put journal records on a many-to-one ring
 * buffer; this agent drains it in batches, appends each record to Chronicle Queue, drops
 * resent duplicates (a sequence at or below the source's journaled high-water mark), and
 * after each batch publishes every touched source's durable sequence, which is what lets
 * the event loops send ACKs.
 *
 * <p>It owns the appender, so no lock guards it (DESIGN invariant 4), and it is the only
 * thread that advances a source's sequence, so dedup holds even when a reconnected session
 * races the in-flight events of the session it replaced (invariant 2).
 */
public final class JournalAgent implements Agent, MessageHandler {
    /** Records drained per batch: bounds the time before the first ACK of a burst. */
    static final int BATCH_LIMIT = 512;

    private final RingBuffer ring;
    private final ExcerptAppender appender;
    private final SourceRegistry registry;
    private final HubMetrics metrics;
    private final Int2ObjectHashMap<SourceState> sources = new Int2ObjectHashMap<>();
    private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
    private final ParcelIndex parcels;
    private java.util.function.Supplier<java.util.List<byte[]>> checkpoint;
    private int lastCycle = Integer.MIN_VALUE;
    private final net.openhft.chronicle.queue.RollCycle journalRollCycle;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
    private SourceState[] touched = new SourceState[64];
    private int touchedCount;
    private long appended;
    private long duplicates;

    public boolean hasControlWork() {
        return !control.isEmpty();
    }

    public JournalAgent(RingBuffer ring, Journal journal, SourceRegistry registry, HubMetrics metrics) {
        this(ring, journal, registry, metrics, new ParcelIndex());
    }

    /** @param parcels the parcel index, as replay rebuilt it; from now on this thread owns it */
    public JournalAgent(RingBuffer ring, Journal journal, SourceRegistry registry, HubMetrics metrics,
                        ParcelIndex parcels) {
        this.parcels = parcels;
        this.journalRollCycle = journal.queue().rollCycle();
        this.ring = ring;
        this.appender = journal.queue().createAppender();
        this.registry = registry;
        this.metrics = metrics;
    }

    /**
     * Journal a control record (plan, outlet state set by an operator) through the single
     * writer. The future completes with the record's journal index once appended.
     */
    public CompletableFuture<Long> submit(byte[] record) {
        return call(() -> {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(record);
            }
            return appender.lastIndexAppended();
        });
    }

    /** Journal index of the latest record of a barcode hash (0 when none), read on the writer thread. */
    public CompletableFuture<Long> latestIndexOf(long barcodeHash) {
        return call(() -> parcels.latest(barcodeHash));
    }

    /** Run {@code task} on the writer thread (which owns the appender and the parcel index). */
    public <T> CompletableFuture<T> call(java.util.function.Supplier<T> task) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        control.add(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Records to write first in every new cycle (source sequences, outlet states, the plan),
     * so that retention can delete older cycles without losing what replay needs. Called on
     * the writer thread.
     */
    public void checkpointWith(java.util.function.Supplier<java.util.List<byte[]>> records) {
        this.checkpoint = records;
    }

    @Override
    public int doWork() {
        int controls = 0;
        for (Runnable task = control.poll(); task != null; task = control.poll()) {
            task.run();
            controls++;
        }
        final int work = controls + drainScans();
        if (work > 0 && checkpoint != null) {
            final int cycle = journalRollCycle.toCycle(appender.lastIndexAppended());
            if (cycle == lastCycle) {
                return work;
            }
            lastCycle = cycle;
            for (byte[] record : checkpoint.get()) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(record);
                }
            }
        }
        return work;
    }

    private int drainScans() {
        final long start = System.nanoTime();
        final long appendedBefore = appended;
        final int count = ring.read(this, BATCH_LIMIT);
        if (count > 0) {
            for (int i = 0; i < touchedCount; i++) {
                touched[i].publishDurable();
                touched[i] = null;
            }
            touchedCount = 0;
            metrics.journalBatch(count, (int) (appended - appendedBefore), System.nanoTime() - start);
        }
        return count;
    }

    @Override
    public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        final int sourceId = buffer.getInt(index + JournalRecord.SOURCE_ID_OFFSET, BYTE_ORDER);
        final long sequence = JournalRecord.sequence(buffer, index);
        SourceState source = sources.get(sourceId);
        if (source == null) {
            source = registry.get(sourceId);
            sources.put(sourceId, source);
        }
        if (sequence <= source.journaledSequence()) {
            duplicates++;
            metrics.duplicateDropped();
        } else {
            buffer.getBytes(index, scratch, 0, length);
            final int barcodeAt = JournalRecord.barcodeFieldAt(scratch, 0);
            final int barcodeLength = scratch.getByte(barcodeAt) & 0xFF;
            long hash = 0;
            if (barcodeLength > 0) {
                // Link the record to the parcel's previous one: a trace is a walk back.
                hash = BarcodeHash.hash(scratch, barcodeAt + 1, barcodeLength);
                scratch.putLong(JournalRecord.PREVIOUS_OFFSET, parcels.latest(hash), BYTE_ORDER);
            }
            try (DocumentContext dc = appender.writingDocument()) {
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.write(scratch.byteArray(), 0, length);
            }
            if (barcodeLength > 0) {
                parcels.record(hash, appender.lastIndexAppended(), JournalRecord.kindCode(scratch, 0),
                    JournalRecord.parcelOutlet(scratch, 0));
            }
            source.journaled(sequence);
            appended++;
        }
        markTouched(source);
    }

    private void markTouched(SourceState source) {
        for (int i = 0; i < touchedCount; i++) {
            if (touched[i] == source) {
                return;
            }
        }
        if (touchedCount == touched.length) {
            touched = java.util.Arrays.copyOf(touched, touched.length * 2);
        }
        touched[touchedCount++] = source;
    }

    public long appended() {
        return appended;
    }

    public long duplicates() {
        return duplicates;
    }

    /**
     * Called on the writer thread when it stops, after the event loops were closed: append
     * what is still queued (it may have been answered with DECISION already), then close.
     */
    @Override
    public void onClose() {
        while (doWork() > 0 || hasControlWork()) {
            // drain
        }
        appender.close();
    }

    @Override
    public String roleName() {
        return "journal-writer";
    }
}
