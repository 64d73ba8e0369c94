package io.sorthub.hub.export;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.ExportRecordFlyweight;
import io.sorthub.protocol.Frame;
import org.agrona.concurrent.NanoClock;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import io.sorthub.kit.retry.Backoff;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
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
 *
 * <p>Its parts: the {@link SendWindow} (sends in flight and the acknowledged prefix), the
 * {@link ExportRecordEncoder} (journal record to Kafka record), the {@link Backoff} and the
 * {@link ExportLag}. Time comes from an injected clock, so tests drive the back-off.
 */
public final class KafkaExportAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaExportAgent.class);
    /** How far ahead of what it sends the exporter records that it may have sent. */
    static final long RESERVE_AHEAD = 1L << 20;
    private static final long STORE_INTERVAL_NS = 200_000_000L;
    private static final long LAG_INTERVAL_NS = 1_000_000_000L;
    private static final long BROKER_SILENCE_NS = 10_000_000_000L;
    private static final int BATCH = 512;

    private final String name;
    private final Journal journal;
    private final ExcerptTailer tailer;
    private final ExportPosition position;
    private final String topic;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final NanoClock clock;
    private final SendWindow window;
    private final ExportRecordEncoder encoder;
    private final Backoff backoff;
    private final ExportLag lag;
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
    private Producer<byte[], byte[]> producer;
    private long acknowledgedIndex;
    private long storedIndex;
    private long lastStoreNs;
    private long lastLagNs = Long.MIN_VALUE / 2;
    private long possibleDuplicatesUpTo;
    private long recoveredAtNs;
    private volatile Exception failure;
    private volatile int generation;

    // Read by metrics from other threads.
    private volatile long exported;
    private volatile long resent;
    private volatile long sendErrors;
    private volatile int inFlight;
    private volatile long lastAckNs;
    private volatile boolean sendBlocked;
    private volatile boolean inOutage;

    /**
     * @param producers makes a producer (idempotent, acks=all); called again after a failure
     * @param window    sends in flight at most (a power of two)
     */
    public KafkaExportAgent(String name, Journal journal, ExportPosition position, String topic, String hubId,
                            Supplier<Producer<byte[], byte[]>> producers, int window, NanoClock clock) {
        this(name, journal, position, topic, hubId, producers, window, clock, Backoff.withRandomJitter(1_000, 30_000));
    }

    KafkaExportAgent(String name, Journal journal, ExportPosition position, String topic, String hubId,
                     Supplier<Producer<byte[], byte[]>> producers, int window, NanoClock clock, Backoff backoff) {
        this.name = name;
        this.journal = journal;
        this.position = position;
        this.topic = topic;
        this.producers = producers;
        this.clock = clock;
        this.window = new SendWindow(window);
        this.encoder = new ExportRecordEncoder(topic, hubId);
        this.backoff = backoff;
        this.lag = new ExportLag(journal);
        this.tailer = journal.queue().createTailer();
        this.acknowledgedIndex = position.acknowledged();
        this.storedIndex = acknowledgedIndex;
        this.possibleDuplicatesUpTo = position.reservedUpTo(); // sent before a crash, perhaps
        this.lastAckNs = clock.nanoTime();
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
        final long now = clock.nanoTime();
        if (now - lastLagNs > LAG_INTERVAL_NS) {
            lastLagNs = now;
            lag.measure(acknowledgedIndex);
            if (backoff.inOutage() && lastAckNs > recoveredAtNs && !sendBlocked && failure == null) {
                backoff.reset(); // the broker acknowledges again
            }
            inOutage = backoff.inOutage();
        }
        if (failure != null) {
            return work + recover(now);
        }
        if (backoff.mayTry(now) && producerReady(now)) {
            work += send(now);
        }
        if (acknowledgedIndex != storedIndex && now - lastStoreNs > STORE_INTERVAL_NS) {
            store();
            lastStoreNs = now;
        }
        return work;
    }

    private int drainAcknowledgements() {
        final long before = acknowledgedIndex;
        acknowledgedIndex = window.drain(acknowledgedIndex);
        inFlight = window.inFlight();
        return acknowledgedIndex == before ? 0 : 1;
    }

    private int send(long now) throws IOException {
        int sent = 0;
        // A failed send stops the batch at once: the producer may call back with the failure
        // from inside send() (no metadata within max.block.ms), and each further send would
        // wait as long again.
        while (sent < BATCH && !window.full() && failure == null) {
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
                    window.push(index, 0, SendWindow.ACKED); // plans, outlet states, audit, checkpoints: not exported
                    continue;
                }
                bytes.read(record.byteArray(), 0, (int) Math.min(bytes.readRemaining(), record.capacity()));
                if (index > position.reservedUpTo()) {
                    position.store(acknowledgedIndex, index + RESERVE_AHEAD); // before anything beyond is sent
                    storedIndex = acknowledgedIndex;
                }
                final boolean again = index <= possibleDuplicatesUpTo;
                final int slot = window.prepare(index, record.getLong(ScanRecord.RECEIVED_AT_OFFSET, BYTE_ORDER));
                try {
                    producer.send(encoder.encode(record, index, again), acknowledgement(slot));
                } catch (KafkaException e) {
                    // Not taken (no metadata, buffer full for max.block.ms): read it again later.
                    dc.rollbackOnClose();
                    sendBlocked = true;
                    backOff(now, e);
                    break;
                }
                window.commit();
                sendBlocked = false;
                sent++;
                if (again) {
                    resent++;
                }
            }
        }
        return sent;
    }

    private Callback acknowledgement(int slot) {
        final int sentBy = generation;
        return (metadata, exception) -> {
            if (sentBy != generation) {
                return; // a producer closed by recover(): its slots were reset and may be reused
            }
            if (exception == null) {
                lastAckNs = clock.nanoTime();
                exported++; // one producer I/O thread calls back: a plain increment of a volatile is fine
                window.acknowledged(slot);
            } else {
                if (failure == null) {
                    failure = exception;
                }
                window.failed(slot);
            }
        };
    }

    /**
     * A send failed: the producer's state is suspect and what follows may be out of order.
     * Let everything in flight finish, close the producer, rewind to the first record not
     * acknowledged, and start again after a back-off.
     */
    private int recover(long now) throws IOException {
        final Exception cause = failure;
        sendErrors++;
        backOff(now, cause);
        if (producer != null) {
            producer.close(Duration.ofSeconds(5)); // waits for every send in flight, or fails what is left
        }
        drainAcknowledgements();
        final long highestSent = window.reset(acknowledgedIndex);
        generation++; // anything the old producer still reports is ignored from here on
        possibleDuplicatesUpTo = Math.max(possibleDuplicatesUpTo, highestSent);
        store();
        rewind();
        failure = null;
        recoveredAtNs = clock.nanoTime();
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
        inOutage = true;
        if (backoff.failed(now)) { // once per outage, not once per retry
            LOG.warn("journal export '{}': {}; resending from journal index {} when the broker takes it",
                name, cause.toString(), acknowledgedIndex);
        }
    }

    /** Position the send tailer just after the acknowledged index (or at the journal's start). */
    private void rewind() {
        tailer.direction(TailerDirection.FORWARD);
        if (!after(tailer, acknowledgedIndex)) {
            LOG.warn("journal export '{}': journal index {} is gone (deleted by retention?); starting from the oldest record kept",
                name, acknowledgedIndex);
        }
    }

    /**
     * Put {@code t} just after the record at {@code index}, or at the oldest record kept.
     *
     * @return false when that record is no longer in the journal
     */
    static boolean after(ExcerptTailer t, long index) {
        if (index == 0) {
            t.toStart();
            return true;
        }
        if (!t.moveToIndex(index)) {
            t.toStart();
            return false;
        }
        try (DocumentContext dc = t.readingDocument()) {
            // step over the record itself
        }
        return true;
    }

    /** A journal record of type SCAN: the only kind exported (and the only one with a receive time). */
    static boolean isScan(Bytes<?> bytes) {
        return bytes.readRemaining() > ScanRecord.FIXED_LENGTH + Frame.HEADER_LENGTH
            && bytes.readByte(bytes.readPosition()) == JournalRecord.TYPE_SCAN;
    }

    private void store() throws IOException {
        position.store(acknowledgedIndex, Math.max(position.reservedUpTo(), acknowledgedIndex));
        storedIndex = acknowledgedIndex;
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
        lag.close();
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
        return lag.events();
    }

    /** Age of the oldest scan not yet acknowledged by the broker, in seconds (0: caught up); updated every second. */
    public double lagSeconds(long nowEpochNs) {
        return lag.seconds(nowEpochNs);
    }

    /** True while the broker takes what is sent: no failure being recovered, and an acknowledgement in the last 10 s or nothing waiting. */
    public boolean brokerAvailable() {
        return failure == null && !sendBlocked && !inOutage
            && (inFlight == 0 || clock.nanoTime() - lastAckNs < BROKER_SILENCE_NS);
    }
}
