package io.sorthub.hub.export;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.protocol.ExportRecordFlyweight;
import io.sorthub.protocol.Frame;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * Tails the journal on its own thread and publishes every scan event with its decision to a
 * Kafka topic, keyed by barcode (docs/EXPORT.md). The sort path never waits for it: it reads
 * the journal's files with a tailer of its own, so a slow or absent broker only makes it
 * fall behind while the journal keeps growing.
 *
 * <p>Its position advances only over records the broker acknowledged: sends are tracked in a
 * ring in journal order, and the acknowledged index moves across the longest acknowledged
 * prefix (acknowledgements of different partitions arrive in any order). On a send failure
 * it lets every send in flight finish, closes the producer, rewinds to the first record not
 * acknowledged and starts again with a new producer after a back-off: resends, never gaps.
 * Everything that may have been published before is flagged
 * {@link ExportRecordFlyweight#FLAG_POSSIBLE_DUPLICATE}.
 */
public final class KafkaExportAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaExportAgent.class);
    private static final int PENDING = 0;
    private static final int ACKED = 1;
    private static final int FAILED = 2;
    /** How far ahead of what it sends the exporter records that it may have sent. */
    private static final long RESERVE_AHEAD = 1L << 20;
    private static final long STORE_INTERVAL_NS = 200_000_000L;
    private static final long LAG_INTERVAL_NS = 1_000_000_000L;
    private static final long BROKER_SILENCE_NS = 10_000_000_000L;
    private static final int BATCH = 512;

    private final String name;
    private final Journal journal;
    private final ExcerptTailer tailer;
    private final ExportPosition position;
    private final String topic;
    private final byte[] hubId;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private Producer<byte[], byte[]> producer;

    // Sends in flight, in journal order: slots [head, tail) of a power-of-two ring.
    private final int mask;
    private final long[] slotIndex;
    private final long[] slotReceivedNs;
    private final AtomicIntegerArray slotState;
    private long head;
    private long tail;

    private final UnsafeBuffer record = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
    private final ExportRecordFlyweight out = new ExportRecordFlyweight();
    private final UnsafeBuffer valueBuffer = new UnsafeBuffer(new byte[0]);
    private final byte[][] values = new byte[ExportRecordFlyweight.MAX_LENGTH + 1][];
    private final byte[][] keys = new byte[256][];
    private byte[] lastSourceKey;
    private int lastKeySource;
    private long acknowledgedIndex;
    private long storedIndex;
    private long lastStoreNs;
    private long lastLagNs;
    private long possibleDuplicatesUpTo;
    private long retryAtNs;
    private long backoffMs;
    private long recoveredAtNs;
    private volatile Exception failure;
    private volatile int generation;

    // Read by metrics from other threads.
    private volatile long exported;
    private volatile long resent;
    private volatile long sendErrors;
    private volatile long lagEvents;
    private volatile long oldestUnackedNs;
    private volatile int inFlight;
    private final ExcerptTailer lagTailer;
    private volatile long lastAckNs = System.nanoTime();
    private volatile boolean sendBlocked;

    /**
     * @param producers makes a producer (idempotent, acks=all); called again after a failure
     * @param window    sends in flight at most (a power of two)
     */
    public KafkaExportAgent(String name, Journal journal, ExportPosition position, String topic, String hubId,
                            Supplier<Producer<byte[], byte[]>> producers, int window) {
        if (Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("window must be a power of two, not " + window);
        }
        this.name = name;
        this.journal = journal;
        this.position = position;
        this.topic = topic;
        this.hubId = hubId.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.producers = producers;
        this.mask = window - 1;
        this.slotIndex = new long[window];
        this.slotReceivedNs = new long[window];
        this.slotState = new AtomicIntegerArray(window);
        this.tailer = journal.queue().createTailer();
        this.lagTailer = journal.queue().createTailer();
        this.acknowledgedIndex = position.acknowledged();
        this.storedIndex = acknowledgedIndex;
        this.possibleDuplicatesUpTo = position.reservedUpTo(); // sent before a crash, perhaps
        rewind();
    }

    @Override
    public String roleName() {
        return "journal-export-" + name;
    }

    @Override
    public void onStart() {
        LOG.info("journal export '{}' to topic {} starts after journal index {} ({})", name, topic,
            acknowledgedIndex, acknowledgedIndex == 0 ? "the beginning" : journal.fileOf(acknowledgedIndex));
    }

    @Override
    public int doWork() throws IOException {
        int work = drainAcknowledgements();
        final long now = System.nanoTime();
        if (now - lastLagNs > LAG_INTERVAL_NS) {
            lastLagNs = now;
            measureLag();
        }
        if (failure != null) {
            return work + recover();
        }
        if (now >= retryAtNs && producerReady(now)) {
            work += send(now);
        }
        if (acknowledgedIndex != storedIndex && now - lastStoreNs > STORE_INTERVAL_NS) {
            store();
            lastStoreNs = now;
        }
        return work;
    }

    private int drainAcknowledgements() {
        int work = 0;
        while (head < tail) {
            final int slot = (int) (head & mask);
            final int state = slotState.get(slot);
            if (state != ACKED) {
                break; // PENDING, or FAILED: recover() rewinds to this one
            }
            acknowledgedIndex = slotIndex[slot];
            slotState.lazySet(slot, PENDING);
            head++;
            work++;
        }
        inFlight = (int) (tail - head);
        return work;
    }

    private int send(long now) throws IOException {
        int sent = 0;
        // A failed send stops the batch at once: the producer may call back with the failure
        // from inside send() (no metadata within max.block.ms), and each further send would
        // wait as long again.
        while (sent < BATCH && tail - head <= mask && failure == null) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                if (!dc.isData()) {
                    continue;
                }
                final long index = dc.index();
                final Bytes<?> bytes = dc.wire().bytes();
                if (!isScan(bytes)) {
                    push(index, 0, ACKED); // plans, outlet states, audit, checkpoints: not exported
                    continue;
                }
                bytes.read(record.byteArray(), 0, (int) Math.min(bytes.readRemaining(), record.capacity()));
                if (index > position.reservedUpTo()) {
                    position.store(acknowledgedIndex, index + RESERVE_AHEAD); // before anything beyond is sent
                    storedIndex = acknowledgedIndex;
                }
                final ProducerRecord<byte[], byte[]> message = message(index);
                final int slot = (int) (tail & mask);
                slotIndex[slot] = index;
                slotReceivedNs[slot] = record.getLong(JournalRecord.RECEIVED_AT_OFFSET, BYTE_ORDER);
                try {
                    producer.send(message, acknowledgement(slot));
                } catch (KafkaException e) {
                    // Not taken (no metadata, buffer full for max.block.ms): read it again later.
                    dc.rollbackOnClose();
                    sendBlocked = true;
                    backOff(now, e);
                    break;
                }
                sendBlocked = false;
                tail++;
                sent++;
                if (index <= possibleDuplicatesUpTo) {
                    resent++;
                }
            }
        }
        return sent;
    }

    /**
     * Key and value arrays are reused, one per length: the producer copies them into its batch
     * inside {@code send()} (the byte-array serializer hands the array itself over), so after
     * {@code send()} returns they are free again. That keeps the exporter's garbage, and its
     * share of the hub's GC pauses, to the record and callback objects the client API needs.
     */
    private ProducerRecord<byte[], byte[]> message(long index) {
        final int scanLength = record.getInt(JournalRecord.SCAN_OFFSET + Frame.LENGTH_OFFSET, BYTE_ORDER);
        final byte[] value = array(values, ExportRecordFlyweight.HUB_ID_OFFSET + hubId.length + scanLength);
        final UnsafeBuffer v = valueBuffer;
        v.wrap(value);
        out.wrap(v, 0).encodeHeader(hubId,
            record.getInt(JournalRecord.SOURCE_ID_OFFSET, BYTE_ORDER), index,
            record.getLong(JournalRecord.RECEIVED_AT_OFFSET, BYTE_ORDER),
            record.getLong(JournalRecord.PLAN_VERSION_OFFSET, BYTE_ORDER),
            record.getInt(JournalRecord.RULE_ID_OFFSET, BYTE_ORDER),
            record.getShort(JournalRecord.OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF,
            record.getByte(JournalRecord.REASON_OFFSET) & 0xFF,
            index <= possibleDuplicatesUpTo ? ExportRecordFlyweight.FLAG_POSSIBLE_DUPLICATE : 0);
        v.putBytes(out.scanOffset(), record, JournalRecord.SCAN_OFFSET, scanLength);
        final int barcodeAt = JournalRecord.barcodeFieldAt(record, 0);
        final int barcodeLength = record.getByte(barcodeAt) & 0xFF;
        final byte[] key;
        if (barcodeLength > 0) {
            key = array(keys, barcodeLength);
            record.getBytes(barcodeAt + 1, key);
        } else {
            // No barcode (no-reads, chute events): keyed by hub and source, so that a resend
            // lands in the same partition as the first copy, after it. A null key would let
            // the producer pick any partition for each copy.
            key = sourceKey(record.getInt(JournalRecord.SOURCE_ID_OFFSET, BYTE_ORDER));
        }
        return new ProducerRecord<>(topic, key, value);
    }

    private byte[] sourceKey(int sourceId) {
        if (sourceId != lastKeySource || lastSourceKey == null) {
            lastSourceKey = (new String(hubId, java.nio.charset.StandardCharsets.US_ASCII) + "/" + sourceId)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            lastKeySource = sourceId;
        }
        return lastSourceKey;
    }

    private static byte[] array(byte[][] byLength, int length) {
        byte[] a = byLength[length];
        if (a == null) {
            a = new byte[length];
            byLength[length] = a;
        }
        return a;
    }

    private Callback acknowledgement(int slot) {
        final int sentBy = generation;
        return (metadata, exception) -> {
            if (sentBy != generation) {
                return; // a producer closed by recover(): its slots were reset and may be reused
            }
            if (exception == null) {
                lastAckNs = System.nanoTime();
                exported++; // one producer I/O thread calls back: a plain increment of a volatile is fine
                slotState.set(slot, ACKED);
            } else {
                if (failure == null) {
                    failure = exception;
                }
                slotState.set(slot, FAILED);
            }
        };
    }

    private void push(long index, long receivedNs, int state) {
        final int slot = (int) (tail & mask);
        slotIndex[slot] = index;
        slotReceivedNs[slot] = receivedNs;
        slotState.set(slot, state);
        tail++;
    }

    /**
     * A send failed: the producer's state is suspect and what follows may be out of order.
     * Let everything in flight finish, close the producer, rewind to the first record not
     * acknowledged, and start again after a back-off.
     */
    private int recover() throws IOException {
        final Exception cause = failure;
        sendErrors++;
        backOff(System.nanoTime(), cause);
        if (producer != null) {
            producer.close(Duration.ofSeconds(5)); // waits for every send in flight, or fails what is left
        }
        drainAcknowledgements();
        long highestSent = acknowledgedIndex;
        for (long s = head; s < tail; s++) {
            highestSent = Math.max(highestSent, slotIndex[(int) (s & mask)]);
            slotState.set((int) (s & mask), PENDING);
        }
        head = tail;
        generation++; // anything the old producer still reports is ignored from here on
        possibleDuplicatesUpTo = Math.max(possibleDuplicatesUpTo, highestSent);
        store();
        rewind();
        failure = null;
        recoveredAtNs = System.nanoTime();
        producer = null; // made again after the back-off
        return 1;
    }

    /**
     * A producer cannot be made while, e.g., no bootstrap address resolves: that is an outage
     * like any other (back off, count it, try again), not a reason for the exporter to stop.
     */
    private boolean producerReady(long now) {
        if (producer != null) {
            return true;
        }
        try {
            producer = producers.get();
            return true;
        } catch (KafkaException e) {
            sendErrors++;
            sendBlocked = true;
            backOff(now, e);
            return false;
        }
    }

    private void backOff(long now, Exception cause) {
        backoffMs = backoffMs == 0 ? 1_000 : Math.min(backoffMs * 2, 30_000);
        retryAtNs = now + backoffMs * 1_000_000L;
        if (backoffMs == 1_000) { // once per outage, not once per retry
            LOG.warn("journal export '{}': {}; resending from journal index {} when the broker takes it",
                name, cause.toString(), acknowledgedIndex);
        }
    }

    /** Position the send tailer just after the acknowledged index (or at the journal's start). */
    private void rewind() {
        tailer.direction(TailerDirection.FORWARD);
        if (!afterAcknowledged(tailer)) {
            LOG.warn("journal export '{}': journal index {} is gone (deleted by retention?); starting from the oldest record kept",
                name, acknowledgedIndex);
        }
    }

    /**
     * Put {@code t} just after the acknowledged record, or at the oldest record kept.
     *
     * @return false when the acknowledged record is no longer in the journal
     */
    private boolean afterAcknowledged(ExcerptTailer t) {
        if (acknowledgedIndex == 0) {
            t.toStart();
            return true;
        }
        if (!t.moveToIndex(acknowledgedIndex)) {
            t.toStart();
            return false;
        }
        try (DocumentContext dc = t.readingDocument()) {
            // step over the acknowledged record itself
        }
        return true;
    }

    /** A journal record of type SCAN: the only kind exported (and the only one with a receive time). */
    private static boolean isScan(Bytes<?> bytes) {
        return bytes.readRemaining() > JournalRecord.HEADER_LENGTH + Frame.HEADER_LENGTH
            && bytes.readByte(bytes.readPosition()) == JournalRecord.TYPE_SCAN;
    }

    private void store() throws IOException {
        position.store(acknowledgedIndex, Math.max(position.reservedUpTo(), acknowledgedIndex));
        storedIndex = acknowledgedIndex;
    }

    /** Events not yet acknowledged by the broker, and the hub receive time of the oldest. */
    private void measureLag() {
        final long last = journal.queue().lastIndex();
        final long from = acknowledgedIndex == 0 ? journal.queue().firstIndex() : acknowledgedIndex + 1;
        final long behind = last < 0 || last < from ? 0 : ((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue) journal.queue()).countExcerpts(from, last + 1);
        long oldest = 0;
        if (behind > 0) {
            afterAcknowledged(lagTailer);
            for (int i = 0; i < 64 && oldest == 0; i++) { // the first scan after it; other records carry no receive time
                try (DocumentContext dc = lagTailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    if (dc.isData() && isScan(bytes)) {
                        oldest = bytes.readLong(bytes.readPosition() + JournalRecord.RECEIVED_AT_OFFSET);
                    }
                }
            }
        }
        oldestUnackedNs = oldest;
        lagEvents = behind;
        if (backoffMs > 0 && lastAckNs > recoveredAtNs && !sendBlocked && failure == null) {
            backoffMs = 0; // the broker acknowledges again
        }
    }

    @Override
    public void onClose() {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            drainAcknowledgements();
            store();
        } catch (Exception e) {
            LOG.warn("journal export '{}' could not store its position on close: {}", name, e.toString());
        }
        tailer.close();
        lagTailer.close();
        LOG.info("journal export '{}' stopped at journal index {}", name, acknowledgedIndex);
    }

    // --- for metrics and tests ----------------------------------------------------------

    /** The first journal index the exporter still needs: retention must keep its file. */
    public long firstNeededIndex() {
        final long acked = acknowledgedIndex;
        return acked == 0 ? journal.queue().firstIndex() : acked;
    }

    public long acknowledgedIndex() {
        return acknowledgedIndex;
    }

    public long exported() {
        return exported;
    }

    public long resent() {
        return resent;
    }

    public long sendErrors() {
        return sendErrors;
    }

    public long lagEvents() {
        return lagEvents;
    }

    /** Age of the oldest scan not yet acknowledged by the broker, in seconds (0: caught up); updated every second. */
    public double lagSeconds(long nowEpochNs) {
        final long oldest = oldestUnackedNs;
        return oldest == 0 ? 0 : Math.max(0, (nowEpochNs - oldest) / 1e9);
    }

    /** True while the broker takes what is sent: no failure being recovered, and an acknowledgement in the last 10 s or nothing waiting. */
    public boolean brokerAvailable() {
        return failure == null && !sendBlocked && backoffMs == 0
            && (inFlight == 0 || System.nanoTime() - lastAckNs < BROKER_SILENCE_NS);
    }
}
