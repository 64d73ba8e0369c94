package io.sorthub.hub.export;

import io.sorthub.hub.journal.ChronicleJournalWriter;
import io.sorthub.hub.journal.Durability;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.PlanRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.routing.Decision;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ExportRecordFlyweight;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.kit.retry.Backoff;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exporter's agent driven by hand through doWork() with a set clock and Kafka's
 * MockProducer (the real-broker behaviour is KafkaExportTest's): the position moves only
 * over acknowledged records, a failure rewinds and resends flagged records after the
 * back-off, the window bounds what is in flight.
 */
class KafkaExportAgentTest {
    @TempDir
    Path dir;
    private Journal journal;
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final List<Long> indexes = new ArrayList<>();
    private boolean producerFails;
    private KafkaExportAgent agent;
    private ExportPosition position;

    @BeforeEach
    void writeJournal() throws Exception {
        journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        try (ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.PAGECACHE)) {
            writer.append(PlanRecord.encode(1, "name: p", 0)); // not exported, but passed over
            for (int seq = 1; seq <= 10; seq++) {
                final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(frame, 0).sequence(seq).kind(EventKind.SORT_REQUEST)
                    .strings("T", "B" + seq, "518057", "");
                final int length = ScanRecord.encode(record, 0, 3, seq * 1_000L,
                    new Decision().set(5, DecisionReason.RULE, 10, 1), scan);
                indexes.add(writer.append(record, 0, length));
            }
        }
        clock.update(TimeUnit.SECONDS.toNanos(100));
        position = ExportPosition.open(dir.resolve("export"), "t");
    }

    private void start(int window) {
        agent = new KafkaExportAgent("t", journal, position, "scans", "hub-1", () -> {
            if (producerFails) {
                throw new KafkaException("no resolvable bootstrap urls");
            }
            final MockProducer<byte[], byte[]> p = new CopyingProducer();
            producers.add(p);
            return p;
        }, window, clock, new Backoff(1_000, 30_000, delay -> 0));
    }

    /**
     * Kafka's MockProducer, keeping a copy of each record as it was at send(): a real producer
     * copies key and value into its batch there, and the exporter reuses its arrays after.
     */
    private static final class CopyingProducer extends MockProducer<byte[], byte[]> {
        CopyingProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
            ProducerRecord<byte[], byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
            return super.send(new ProducerRecord<>(record.topic(), record.key().clone(), record.value().clone()), callback);
        }
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.onClose();
        }
        journal.close();
    }

    private static ExportRecordFlyweight decode(ProducerRecord<byte[], byte[]> record) {
        return new ExportRecordFlyweight().wrap(new UnsafeBuffer(record.value()), 0);
    }

    @Test
    void thePositionMovesOnlyOverWhatTheBrokerAcknowledged() throws Exception {
        start(1 << 10);
        agent.doWork();
        final MockProducer<byte[], byte[]> p = producers.get(0);
        assertThat(p.history()).hasSize(10);
        assertThat(p.history()).extracting(r -> new String(r.key())).containsExactly("B1", "B2", "B3", "B4", "B5", "B6",
            "B7", "B8", "B9", "B10");
        assertThat(agent.acknowledgedIndex()).isZero();
        p.completeNext();
        p.completeNext();
        agent.doWork();
        assertThat(agent.acknowledgedIndex()).isEqualTo(indexes.get(1));
        clock.advance(TimeUnit.MILLISECONDS.toNanos(300)); // the position is stored at most every 200 ms
        agent.doWork();
        assertThat(ExportPosition.open(dir.resolve("export"), "t").acknowledged()).isEqualTo(indexes.get(1));
        assertThat(agent.exported()).isEqualTo(2);
    }

    @Test
    void aFailedSendRewindsAndResendsFlaggedAsPossibleDuplicatesAfterTheBackoff() throws Exception {
        start(1 << 10);
        agent.doWork();
        final MockProducer<byte[], byte[]> first = producers.get(0);
        first.completeNext();
        first.errorNext(new KafkaException("broker gone"));
        agent.doWork(); // takes the acknowledgement, sees the failure, closes the producer
        agent.doWork();
        assertThat(first.closed()).isTrue();
        assertThat(agent.sendErrors()).isEqualTo(1);
        assertThat(agent.brokerAvailable()).isFalse();
        assertThat(producers).as("no new producer before the back-off has passed").hasSize(1);
        clock.advance(TimeUnit.MILLISECONDS.toNanos(999));
        agent.doWork();
        assertThat(producers).hasSize(1);
        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
        agent.doWork();
        assertThat(producers).hasSize(2);
        final MockProducer<byte[], byte[]> second = producers.get(1);
        assertThat(second.history()).as("everything after the acknowledged record, again").hasSize(9);
        for (ProducerRecord<byte[], byte[]> r : second.history()) {
            assertThat(decode(r).flags() & ExportRecordFlyweight.FLAG_POSSIBLE_DUPLICATE).as("flagged").isNotZero();
        }
        assertThat(agent.resent()).isEqualTo(9);
        while (second.completeNext()) {
            // the broker takes them all
        }
        clock.advance(TimeUnit.SECONDS.toNanos(2));
        agent.doWork();
        assertThat(agent.acknowledgedIndex()).isEqualTo(indexes.get(9));
        assertThat(agent.brokerAvailable()).isTrue();
    }

    @Test
    void theWindowBoundsWhatIsInFlight() throws Exception {
        start(4);
        agent.doWork();
        final MockProducer<byte[], byte[]> p = producers.get(0);
        assertThat(p.history()).as("the plan record takes a slot too").hasSize(3);
        p.completeNext();
        p.completeNext();
        agent.doWork();
        assertThat(p.history()).as("three slots free again: the plan's and two acknowledged sends").hasSize(6);
    }

    @Test
    void aProducerThatCannotBeMadeIsAnOutageWithBackoffNotADeadExporter() throws Exception {
        producerFails = true;
        start(1 << 10);
        agent.doWork();
        assertThat(agent.sendErrors()).isEqualTo(1);
        assertThat(agent.brokerAvailable()).isFalse();
        producerFails = false;
        agent.doWork();
        assertThat(producers).isEmpty();
        clock.advance(TimeUnit.SECONDS.toNanos(1));
        agent.doWork();
        assertThat(producers).hasSize(1);
        assertThat(producers.get(0).history()).hasSize(10);
    }
}
