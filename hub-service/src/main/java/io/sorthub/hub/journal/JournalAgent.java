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
    private final Queue<ControlRecord> control = new ConcurrentLinkedQueue<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
    private SourceState[] touched = new SourceState[64];
    private int touchedCount;
    private long appended;
    private long duplicates;

    public boolean hasControlWork() {
        return !control.isEmpty();
    }

    public JournalAgent(RingBuffer ring, Journal journal, SourceRegistry registry, HubMetrics metrics) {
        this.ring = ring;
        this.appender = journal.queue().createAppender();
        this.registry = registry;
        this.metrics = metrics;
    }

    /** A rare record (plan, operator action) and who waits for it to be journaled. */
    private record ControlRecord(byte[] bytes, CompletableFuture<Long> journaled) {
    }

    /**
     * Journal a control record (plan, outlet state set by an operator) through the single
     * writer. The future completes with the record's journal index once appended.
     */
    public CompletableFuture<Long> submit(byte[] record) {
        final CompletableFuture<Long> journaled = new CompletableFuture<>();
        control.add(new ControlRecord(record, journaled));
        return journaled;
    }

    @Override
    public int doWork() {
        int controls = 0;
        for (ControlRecord record = control.poll(); record != null; record = control.poll()) {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(record.bytes());
            } catch (RuntimeException e) {
                record.journaled().completeExceptionally(e);
                continue;
            }
            record.journaled().complete(appender.lastIndexAppended());
            controls++;
        }
        return controls + drainScans();
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
            try (DocumentContext dc = appender.writingDocument()) {
                final Bytes<?> bytes = dc.wire().bytes();
                bytes.write(scratch.byteArray(), 0, length);
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
