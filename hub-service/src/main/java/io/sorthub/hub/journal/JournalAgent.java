package io.sorthub.hub.journal;

import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The journal's single writer (an Agrona agent on a thread of its own). Each duty cycle:
 * <ol>
 *   <li>a checkpoint first when the journal is about to enter a new cycle;</li>
 *   <li>scan records from the event loops' ring ({@link JournalProxy}), up to a batch limit,
 *       dropping resent duplicates (a sequence at or below the source's journaled mark);</li>
 *   <li>control work (plans, outlet states, audits, source resets, trace look-ups), up to a drain limit;</li>
 *   <li>one {@link JournalWriter#force} for the batch (group commit at the configured durability);</li>
 *   <li>only then: publish every touched source's durable sequence (event loops send the ACKs)
 *       and complete the control futures.</li>
 * </ol>
 *
 * <p><b>Fail-stop.</b> Any throwable on this path (an append, the force, a checkpoint, a control
 * task) stops the writer for good before anything of the batch is published: the ring has
 * already consumed the record that failed, so carrying on would journal and acknowledge the
 * events after a lost one. The failure goes to {@code onFailure} once (the service stops intake,
 * turns /ready false and, as a process, exits so that its supervisor restarts it on the journal).
 *
 * <p>It owns the appender and the parcel index, so nothing guards them (DESIGN invariant 4), and
 * it is the only thread that advances a source's sequence, so dedup holds even when a new
 * session races the in-flight events of the one it replaced (invariant 2).
 */
public final class JournalAgent implements Agent, MessageHandler {
    /** Records drained per batch: bounds the time before the first ACK of a burst. */
    static final int BATCH_LIMIT = 512;
    /** Control tasks per duty cycle: an operator's burst must not hold back the scans' ACKs. */
    static final int CONTROL_DRAIN_LIMIT = 16;

    private final JournalProxy proxy;
    private final JournalWriter writer;
    private final SourceRegistry registry;
    private final HubMetrics metrics;
    private final ParcelIndex parcels;
    private final NanoClock clock;
    private final Consumer<Throwable> onFailure;
    private final Int2ObjectHashMap<SourceState> sources = new Int2ObjectHashMap<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
    private final List<JournalProxy.ControlTask<?>> done = new ArrayList<>();
    private Supplier<List<byte[]>> checkpoint;
    private Runnable afterBatch = () -> { };
    private int checkpointCycle = Integer.MIN_VALUE;
    private SourceState[] touched = new SourceState[64];
    private int touchedCount;
    private int appendedThisBatch;
    private long appended;
    private long duplicates;
    private volatile Throwable failure;

    /**
     * @param parcels   the parcel index, as replay rebuilt it; from now on this thread owns it
     * @param onFailure told once, on this thread, when the writer fails and stops
     */
    public JournalAgent(JournalProxy proxy, JournalWriter writer, SourceRegistry registry, HubMetrics metrics,
                        ParcelIndex parcels, NanoClock clock, Consumer<Throwable> onFailure) {
        this.proxy = proxy;
        this.writer = writer;
        this.registry = registry;
        this.metrics = metrics;
        this.parcels = parcels;
        this.clock = clock;
        this.onFailure = onFailure;
        proxy.attach(this);
    }

    /**
     * Records to write first in every new cycle (source sequences, outlet states, the plan), so
     * that retention can delete older cycles without losing what replay needs. Called on the
     * writer thread.
     */
    public void checkpointWith(Supplier<List<byte[]>> records) {
        this.checkpoint = records;
    }

    /** Run on the writer thread after every batch of scans it published (e.g. wake sessions waiting for room). */
    public void afterBatch(Runnable task) {
        this.afterBatch = task;
    }

    @Override
    public int doWork() {
        if (failure != null) {
            return 0;
        }
        try {
            return dutyCycle();
        } catch (Throwable t) {
            failStop(t);
            return 0;
        }
    }

    private int dutyCycle() throws java.io.IOException {
        if (!proxy.hasWork()) {
            return 0;
        }
        final long start = clock.nanoTime();
        if (checkpoint != null && writer.cycleNow() != checkpointCycle) {
            writeCheckpoint(writer.cycleNow()); // first in the new cycle, ahead of its scans
        }
        appendedThisBatch = 0;
        final int scans = proxy.ring().read(this, BATCH_LIMIT);
        final int controls = drainControl();
        if (checkpoint != null && writer.lastCycle() != checkpointCycle && writer.lastCycle() != Integer.MIN_VALUE) {
            writeCheckpoint(writer.lastCycle()); // the cycle turned during the batch
        }
        writer.force();
        for (int i = 0; i < touchedCount; i++) {
            touched[i].publishDurable();
            touched[i] = null;
        }
        touchedCount = 0;
        for (JournalProxy.ControlTask<?> task : done) {
            task.complete();
        }
        done.clear();
        if (scans > 0) {
            metrics.journalBatch(scans, appendedThisBatch, clock.nanoTime() - start);
            afterBatch.run();
        }
        return scans + controls;
    }

    private int drainControl() {
        int count = 0;
        JournalProxy.ControlTask<?> task;
        while (count < CONTROL_DRAIN_LIMIT && (task = proxy.pollControl()) != null) {
            done.add(task); // failed with the rest if it throws: it may have appended half its work
            task.run();
            count++;
        }
        return count;
    }

    private void writeCheckpoint(int cycle) {
        for (byte[] record : checkpoint.get()) {
            writer.append(record);
        }
        checkpointCycle = cycle;
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
            source.droppedDuplicate();
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
            final long journalIndex = writer.append(scratch, 0, length);
            if (barcodeLength > 0) {
                parcels.record(hash, journalIndex, JournalRecord.kindCode(scratch, 0), JournalRecord.parcelOutlet(scratch, 0));
            }
            source.journaled(sequence);
            appended++;
            appendedThisBatch++;
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

    // --- for control tasks, on this thread -----------------------------------------------

    /** Append a control record; its task's future completes after the batch's force. */
    long append(byte[] record) {
        return writer.append(record);
    }

    /** Journal index of the latest record of a barcode hash (0 when none). */
    long latestIndexOf(long barcodeHash) {
        return parcels.latest(barcodeHash);
    }

    ParcelIndex parcels() {
        return parcels;
    }

    /** Journal a source's reset, then start its sequence again; published with the batch. */
    long resetSource(int sourceId, byte[] record) {
        final long index = writer.append(record);
        final SourceState source = registry.get(sourceId);
        source.resetSequence();
        markTouched(source);
        return index;
    }

    // --- failure ---------------------------------------------------------------------------

    private void failStop(Throwable t) {
        failure = t;
        touchedCount = 0; // nothing of this batch is published: it may not be durable
        final IllegalStateException stopped = new IllegalStateException("the journal writer failed: " + t, t);
        for (JournalProxy.ControlTask<?> task : done) {
            task.fail(stopped);
        }
        done.clear();
        proxy.writerFailed(stopped);
        onFailure.accept(t);
    }

    /** The failure that stopped the writer, or null while it runs. Any thread. */
    public Throwable failure() {
        return failure;
    }

    public long appended() {
        return appended;
    }

    public long duplicates() {
        return duplicates;
    }

    /**
     * Called on the writer thread when it stops, after the event loops were told to stop:
     * append what is still queued (it may have been answered with DECISION already), force,
     * publish, then close.
     */
    @Override
    public void onClose() {
        while (failure == null && doWork() > 0) {
            // drain
        }
        writer.close();
    }

    @Override
    public String roleName() {
        return "journal-writer";
    }
}
