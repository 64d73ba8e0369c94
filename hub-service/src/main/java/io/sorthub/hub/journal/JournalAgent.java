package io.sorthub.hub.journal;

import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The journal's single writer (an Agrona agent on a thread of its own). Each duty cycle:
 * <ol>
 *   <li>a checkpoint first when the journal is about to enter a new cycle;</li>
 *   <li>stage a batch: scan records from the event loops' ring ({@link JournalProxy}) up to a
 *       limit, dropping resent duplicates (a sequence at or below the source's journaled mark),
 *       and control records (plans, outlet states, audits, source resets) up to a drain limit;
 *       a hub pair's standby stages batches read from the pair's log instead;</li>
 *   <li>in a hub pair's active: replicate the batch (it must be durable on the pair first);</li>
 *   <li>append the batch (and, in a pair, its log position), then one {@link JournalWriter#force}
 *       (group commit at the configured durability);</li>
 *   <li>only then: publish every touched source's durable sequence (event loops send the ACKs)
 *       and complete the control futures.</li>
 * </ol>
 *
 * <p><b>Fail-stop.</b> Any throwable on this path stops the writer for good before anything of
 * the batch is published: the ring has already consumed the records, so carrying on would
 * journal and acknowledge events after a lost one. The failure goes to {@code onFailure} once
 * (the service stops intake, turns /ready false and, as a process, exits so that its supervisor
 * restarts it on the journal). A pair's active that finds itself deposed stops the same way,
 * having appended nothing of the batch the pair did not take.
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
    /** Pair batches read from the log waiting for the writer, at most. */
    static final int REPLICATED_QUEUE = 64;

    /** Where the writer's batches come from and whether they are replicated first. */
    public enum Mode {
        /** One hub: the ring and the control queue, appended as they come. */
        SINGLE,
        /** A pair's standby: batches read from the pair's log; the ring is not read. */
        FOLLOWING,
        /** A pair's active: the ring and the control queue, replicated before they are appended. */
        LEADING
    }

    private final JournalProxy proxy;
    private final JournalWriter writer;
    private final SourceRegistry registry;
    private final HubMetrics metrics;
    private final ParcelIndex parcels;
    private final NanoClock clock;
    private final Consumer<Throwable> onFailure;
    private final Int2ObjectHashMap<SourceState> sources = new Int2ObjectHashMap<>();
    private final StagedBatch batch = new StagedBatch(BATCH_LIMIT, BATCH_LIMIT + CONTROL_DRAIN_LIMIT + 128);
    private final UnsafeBuffer linkScratch = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
    private final JournalRecord view = new JournalRecord();
    private final ReplicatedBatch.RecordHandler replicatedRecord = this::stageReplicatedRecord;
    private final OneToOneConcurrentArrayQueue<ReplicatedBatch> replicated =
        new OneToOneConcurrentArrayQueue<>(REPLICATED_QUEUE);
    private final List<JournalProxy.ControlTask<?>> done = new ArrayList<>();
    private Supplier<List<byte[]>> checkpoint;
    private Runnable afterBatch = () -> { };
    private BatchReplicator replicator;
    private RecordEffects effects = RecordEffects.NONE;
    private RecordEffects ops = RecordEffects.NONE;
    private final List<byte[]> opsRecords = new ArrayList<>();
    private long[] opsIndexes = new long[16];
    private volatile Mode mode = Mode.SINGLE;
    private volatile long appliedPosition = -1;
    private long skipReplicated;
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

    /**
     * What every appended record does to the operations tables, in every mode: a scan record's
     * at once (its decision was made already), an operator's change once it is durable.
     */
    public void opsEffects(RecordEffects ops) {
        this.ops = ops;
    }

    /** Run on the writer thread after every batch of scans it published (e.g. wake sessions waiting for room). */
    public void afterBatch(Runnable task) {
        this.afterBatch = task;
    }

    /**
     * Follow a hub pair's log (standby): batches come through {@link #offerReplicated}; each is
     * applied to the hub's state through {@code effects}. {@code position} is the last batch the
     * journal holds, and {@code unmarked} how many of the next batch's records it already holds
     * (a stop between appending them and the position record).
     */
    public void follow(RecordEffects effects, long position, long unmarked) {
        this.effects = effects;
        this.appliedPosition = position;
        this.skipReplicated = unmarked;
        this.mode = Mode.FOLLOWING;
    }

    /**
     * Lead the hub pair (active): from the next duty cycle every batch is replicated before it is
     * appended. Call once every batch of the log up to the takeover was applied.
     */
    public void lead(BatchReplicator replicator) {
        this.replicator = replicator;
        this.mode = Mode.LEADING;
    }

    public Mode mode() {
        return mode;
    }

    /** The pair log position of the last batch in the journal (-1: none). Any thread. */
    public long appliedPosition() {
        return appliedPosition;
    }

    /**
     * The follower's thread: a batch read from the pair's log.
     *
     * @return false when the writer is behind (try again shortly)
     */
    public boolean offerReplicated(ReplicatedBatch batch) {
        final boolean taken = replicated.offer(batch);
        if (taken) {
            proxy.wake();
        }
        return taken;
    }

    boolean hasReplicated() {
        return !replicated.isEmpty();
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

    private int dutyCycle() throws Exception {
        final Mode now = mode;
        if (!proxy.hasWork() && (now != Mode.FOLLOWING || replicated.isEmpty())) {
            return parcels.moveWhileIdle(); // a parcel index move under way goes on while idle
        }
        final long start = clock.nanoTime();
        if (checkpoint != null && writer.cycleNow() != checkpointCycle) {
            writeCheckpoint(writer.cycleNow()); // first in the new cycle, ahead of its records
        }
        appendedThisBatch = 0;
        int scans = 0;
        long position = -1;
        if (now == Mode.FOLLOWING) {
            final ReplicatedBatch next = replicated.poll();
            if (next != null) {
                stageReplicated(next);
                position = next.position();
            }
        } else {
            scans = proxy.ring().read(this, BATCH_LIMIT);
        }
        final int controls = drainControl(now);
        if (now == Mode.LEADING && batch.count() > 0) {
            final int length = batch.encode();
            position = replicator.replicate(batch.encoded(), length);
        }
        appendBatch(now == Mode.FOLLOWING);
        if (position >= 0) {
            writer.append(PairPositionRecord.encode(position, clock.nanoTime()));
            appliedPosition = position;
        }
        if (checkpoint != null && writer.lastCycle() != checkpointCycle && writer.lastCycle() != Integer.MIN_VALUE) {
            writeCheckpoint(writer.lastCycle()); // the cycle turned during the batch
        }
        writer.force();
        applyOpsRecords();
        for (int i = 0; i < touchedCount; i++) {
            touched[i].publishDurable();
            touched[i] = null;
        }
        touchedCount = 0;
        for (int i = 0; i < done.size(); i++) { // indexed: an iterator per batch would be garbage per batch
            done.get(i).complete();
        }
        done.clear();
        if (scans > 0) {
            metrics.journalBatch(scans, appendedThisBatch, clock.nanoTime() - start);
            afterBatch.run();
        }
        return scans + controls + (position >= 0 ? 1 : 0);
    }

    private int drainControl(Mode now) {
        int count = 0;
        JournalProxy.ControlTask<?> task;
        while (count < CONTROL_DRAIN_LIMIT && batch.hasRoomForControl() && (task = proxy.pollControl()) != null) {
            done.add(task); // failed with the rest if it throws: it may have staged half its work
            if (now == Mode.FOLLOWING && task.writes()) {
                task.fail(new IllegalStateException("this hub is the pair's standby: changes are made on the active"));
                done.remove(done.size() - 1);
            } else {
                task.run();
            }
            count++;
        }
        return count;
    }

    private void writeCheckpoint(int cycle) {
        for (byte[] record : checkpoint.get()) {
            writer.append(RecordFlyweight.checkpointCopy(record)); // never counted as part of a pair's batch
        }
        checkpointCycle = cycle;
    }

    // --- staging ---------------------------------------------------------------------------

    /** A scan record from the ring: dedup, then stage. */
    @Override
    public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        stageScanIfNew(buffer, index, length);
    }

    private void stageScanIfNew(DirectBuffer buffer, int index, int length) {
        final int sourceId = ScanRecord.sourceId(buffer, index);
        final long sequence = ScanRecord.sequence(buffer, index);
        final SourceState source = source(sourceId);
        if (sequence <= source.journaledSequence()) {
            duplicates++;
            source.droppedDuplicate();
            metrics.duplicateDropped();
        } else {
            batch.stageScan(buffer, index, length);
            source.journaled(sequence);
        }
        markTouched(source);
    }

    private SourceState source(int sourceId) {
        SourceState source = sources.get(sourceId);
        if (source == null) {
            source = registry.get(sourceId);
            sources.put(sourceId, source);
        }
        return source;
    }

    /** A batch from the pair's log: records the journal already holds (see {@link #follow}) are skipped. */
    private void stageReplicated(ReplicatedBatch next) {
        next.forEachRecord(replicatedRecord);
        skipReplicated = 0;
    }

    private void stageReplicatedRecord(MutableDirectBuffer value, int offset, int length) {
        if (skipReplicated > 0) {
            skipReplicated--; // appended before a stop that came before its position record
        } else if (value.getByte(offset) == JournalRecord.TYPE_SCAN) {
            stageScanIfNew(value, offset, length);
        } else {
            final byte[] record = new byte[length];
            value.getBytes(offset, record);
            stageReplicatedControl(record);
        }
    }

    private void stageReplicatedControl(byte[] record) {
        final UnsafeBuffer b = new UnsafeBuffer(record);
        if (b.getByte(RecordFlyweight.TYPE_OFFSET) == JournalRecord.TYPE_SOURCE_RESET) {
            final SourceState source = source(b.getInt(SourceResetRecord.SOURCE_ID_OFFSET, BYTE_ORDER));
            if (source.journaledSequence() != b.getLong(SourceResetRecord.PREVIOUS_SEQUENCE_OFFSET, BYTE_ORDER)) {
                return; // applied already (the journal holds it and what came after)
            }
            source.resetSequence();
            markTouched(source);
        }
        batch.stageControl(record);
    }

    /** Append the staged batch: link each parcel's records, index them, apply a standby's effects. */
    private void appendBatch(boolean applyEffects) {
        for (int slot = 0; slot < batch.count(); slot++) {
            final long journalIndex;
            if (batch.isScan(slot)) {
                journalIndex = appendScan(batch.scans(), batch.offset(slot), batch.length(slot)); // leaves it in view
                if (applyEffects) {
                    effects.apply(journalIndex, view);
                }
                ops.apply(journalIndex, view);
            } else {
                final byte[] record = batch.control(slot);
                journalIndex = writer.append(record);
                if (applyEffects) {
                    effects.apply(journalIndex, view.wrap(new UnsafeBuffer(record), 0));
                }
                if (record[RecordFlyweight.TYPE_OFFSET] == JournalRecord.TYPE_OPS) {
                    deferOps(journalIndex, record);
                }
            }
            batch.index(slot, journalIndex);
        }
        batch.clear();
    }

    private void deferOps(long journalIndex, byte[] record) {
        if (opsRecords.size() == opsIndexes.length) {
            opsIndexes = java.util.Arrays.copyOf(opsIndexes, opsIndexes.length * 2);
        }
        opsIndexes[opsRecords.size()] = journalIndex;
        opsRecords.add(record);
    }

    /** After the force: an operator's change is in force once it is durable, never before. */
    private void applyOpsRecords() {
        for (int i = 0; i < opsRecords.size(); i++) {
            ops.apply(opsIndexes[i], view.wrap(new UnsafeBuffer(opsRecords.get(i)), 0));
        }
        opsRecords.clear();
    }

    private long appendScan(DirectBuffer buffer, int offset, int length) {
        linkScratch.putBytes(0, buffer, offset, length);
        // Link the record to the parcel's previous one: a trace is a walk back. The view keeps
        // the keys it hashed here for the operations tables' effects of the same record.
        final ScanRecord scan = view.wrap(linkScratch, 0).scan();
        final long key = scan.chainKey();
        if (key != 0) {
            scan.previousIndex(parcels.latest(key));
        }
        final long journalIndex = writer.append(linkScratch, 0, length);
        if (key != 0) {
            parcels.record(key, journalIndex, ScanRecord.kindCode(linkScratch, 0), scan.parcelOutlet());
        }
        appended++;
        appendedThisBatch++;
        return journalIndex;
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

    /** Stage a control record; its journal index is known once the batch is appended. */
    LongSupplier stage(byte[] record) {
        final int slot = batch.stageControl(record);
        return () -> batch.index(slot);
    }

    /** Journal index of the latest record of a barcode hash (0 when none). */
    long latestIndexOf(long barcodeHash) {
        return parcels.latest(barcodeHash);
    }

    ParcelIndex parcels() {
        return parcels;
    }

    /** Stage a source's reset record, then start its sequence again; published with the batch. */
    LongSupplier resetSource(int sourceId, byte[] record) {
        final LongSupplier index = stage(record);
        final SourceState source = source(sourceId);
        source.resetSequence();
        markTouched(source);
        return index;
    }

    // --- failure ---------------------------------------------------------------------------

    private void failStop(Throwable t) {
        failure = t;
        touchedCount = 0; // nothing of this batch is published: it may not be durable
        batch.clear();
        final IllegalStateException stopped = new IllegalStateException(
            t instanceof BatchReplicator.DeposedException ? "this hub was deposed as the pair's active: " + t.getMessage()
                : "the journal writer failed: " + t, t);
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
        while (failure == null && proxy.hasWork() && doWork() > 0) {
            // drain
        }
        writer.close();
    }

    @Override
    public String roleName() {
        return "journal-writer";
    }
}
