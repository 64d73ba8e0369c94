package io.sorthub.hub.journal;

import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceSession;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal writer driven by hand through doWork(), against a real queue on disk, with a
 * set clock for roll-overs (Chronicle's SetTimeProvider) and faults injected around the real
 * appender.
 */
class JournalAgentTest {
    private static final long START_NS = 1_700_000_000_000L * 1_000_000L;

    @TempDir
    Path dir;
    private final SetTimeProvider time = new SetTimeProvider(START_NS);
    private Journal journal;
    private JournalProxy proxy;
    private SourceRegistry sources;
    private FaultyJournalWriter writer;
    private JournalAgent agent;
    private final List<Throwable> failures = new ArrayList<>();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
    private final ScanFlyweight scan = new ScanFlyweight();
    private final Decision decision = new Decision().set(3, DecisionReason.RULE, 10, 77);

    /** A session that counts what the writer tells it. */
    private static final class CountingSession implements SourceSession {
        final AtomicInteger durable = new AtomicInteger();

        @Override
        public void onDurable() {
            durable.incrementAndGet();
        }

        @Override
        public void onReplaced() {
        }

        @Override
        public CompletionStage<Void> stopReading() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(ErrorCode code, String why) {
        }
    }

    @BeforeEach
    void setUp() {
        journal = new Journal(dir, "TEST_SECONDLY", time);
        sources = new SourceRegistry();
        start(Durability.SYNC);
    }

    private void start(Durability durability) {
        proxy = new JournalProxy(64 * 1024);
        writer = new FaultyJournalWriter(new ChronicleJournalWriter(journal, durability),
            () -> sources.get(1).durableSequence());
        agent = new JournalAgent(proxy, writer, sources, new HubMetrics(), new ParcelIndex(), new CachedNanoClock(),
            failures::add);
    }

    @AfterEach
    void tearDown() {
        agent.onClose();
        journal.close();
    }

    private void offer(int sourceId, long sequence) {
        scan.wrapForEncode(frame, 0).sequence(sequence).kind(EventKind.SORT_REQUEST).strings("T", "B" + sequence, "100", "");
        assertThat(proxy.offerScan(sourceId, 1_000L * sequence, decision, scan)).isTrue();
    }

    /** Every record: type, then source:sequence for scans. */
    private List<String> journaled() {
        final List<String> out = new ArrayList<>();
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readAll((index, record) -> out.add(record.type() == JournalRecord.TYPE_SCAN
                ? record.scan().sourceId() + ":" + record.scan().frame().sequence()
                : "type" + record.type() + "@" + journal.queue().rollCycle().toCycle(index)));
        }
        return out;
    }

    @Test
    void appendsInOrderAndPublishesDurableSequenceAfterTheBatch() {
        final SourceState source = sources.get(1);
        final CountingSession session = new CountingSession();
        sources.open(1, session);
        offer(1, 1);
        offer(1, 2);
        offer(2, 1);
        assertThat(source.durableSequence()).isZero();
        assertThat(agent.doWork()).isEqualTo(3);
        assertThat(source.durableSequence()).isEqualTo(2);
        assertThat(sources.get(2).durableSequence()).isEqualTo(1);
        assertThat(session.durable.get()).as("one notification per batch, not per event").isEqualTo(1);
        assertThat(agent.doWork()).isZero();
        assertThat(journaled()).containsExactly("1:1", "1:2", "2:1");
        final List<Long> received = new ArrayList<>();
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readAll((index, record) -> received.add(record.receivedAtNs() + record.scan().outlet() + record.scan().planVersion()));
        }
        assertThat(received).containsExactly(1_000L + 3 + 77, 2_000L + 3 + 77, 1_000L + 3 + 77);
    }

    @Test
    void syncForcesOncePerBatchBeforeAnySequenceIsPublished() {
        for (int i = 1; i <= 100; i++) {
            offer(1, i);
        }
        agent.doWork();
        assertThat(writer.forces).as("group commit: one force for the batch, not one per event").isEqualTo(1);
        assertThat(writer.observed).as("nothing of the batch was published before its force").containsExactly(0L);
        assertThat(sources.get(1).durableSequence()).isEqualTo(100);
    }

    @Test
    void sequencesAtOrBelowTheHighWaterMarkAreDroppedNotJournaledTwice() {
        offer(5, 1);
        offer(5, 2);
        offer(5, 2); // a replaced session's in-flight event racing the new session's resend
        offer(5, 1);
        offer(5, 3);
        agent.doWork();
        assertThat(agent.appended()).isEqualTo(3);
        assertThat(agent.duplicates()).isEqualTo(2);
        assertThat(journaled()).containsExactly("5:1", "5:2", "5:3");
        assertThat(sources.get(5).durableSequence()).isEqualTo(3);
        assertThat(sources.get(5).processedEvents()).as("dropped duplicates count as handled").isEqualTo(5);
    }

    @Test
    void anAppendFailureStopsTheWriterBeforeAnythingAfterItIsJournaledOrAcknowledged() throws Exception {
        offer(1, 1);
        agent.doWork();
        assertThat(sources.get(1).durableSequence()).isEqualTo(1);
        writer.failAtAppend = writer.appends + 2; // the 2nd record of the next batch fails
        offer(1, 2);
        offer(1, 3); // fails
        offer(1, 4);
        agent.doWork();
        assertThat(failures).hasSize(1);
        assertThat(agent.failure()).hasMessageContaining("injected: device error");
        // The ring consumed sequence 3 before the failure: whatever comes after must never be
        // journaled or acknowledged, or a source would delete an event the journal lacks.
        offer(1, 5);
        for (int i = 0; i < 3; i++) {
            assertThat(agent.doWork()).isZero();
        }
        assertThat(sources.get(1).durableSequence()).as("no ACK past the failure, not even for 2").isEqualTo(1);
        assertThat(journaled()).doesNotContain("1:4", "1:5");
        assertThat(failures).as("told once").hasSize(1);
        assertThat(proxy.writerFailed()).isTrue();
        final CompletableFuture<Long> control = proxy.append(AuditRecord.encode("t", "after failure", 0));
        assertThatThrownBy(() -> control.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasMessageContaining("journal writer failed");
    }

    @Test
    void aForceFailurePublishesNothingOfTheBatch() {
        offer(1, 1);
        writer.failForce = true;
        agent.doWork();
        assertThat(failures).singleElement().satisfies(t -> assertThat(t).hasMessageContaining("fdatasync"));
        assertThat(sources.get(1).durableSequence()).as("appended but not forced: not acknowledged").isZero();
    }

    @Test
    void controlTasksCompleteOnlyAfterTheirBatchIsForced() throws Exception {
        final CompletableFuture<Long> done = proxy.append(AuditRecord.encode("op", "test", 0));
        assertThat(done).isNotDone();
        agent.doWork();
        assertThat(done.get(1, TimeUnit.SECONDS)).isPositive();
        assertThat(writer.forces).isEqualTo(1);
    }

    @Test
    void theControlQueueIsBoundedAndSaysSoWhenFull() {
        for (int i = 0; i < JournalProxy.CONTROL_CAPACITY; i++) {
            assertThat(proxy.latestIndexOf(i)).isNotDone();
        }
        final CompletableFuture<Long> refused = proxy.latestIndexOf(-1);
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasMessageContaining("control queue is full");
        assertThat(proxy.controlRefused()).isEqualTo(1);
        int drained = 0;
        while (agent.doWork() > 0) {
            drained++;
        }
        assertThat(drained).as("drained a bounded number per duty cycle").isGreaterThanOrEqualTo(
            JournalProxy.CONTROL_CAPACITY / JournalAgent.CONTROL_DRAIN_LIMIT);
    }

    @Test
    void aCheckpointComesFirstInEveryCycle() {
        agent.checkpointWith(() -> List.of(CheckpointRecord.encode(new int[0], new long[0], new int[0], new int[0], 0)));
        offer(1, 1);
        offer(1, 2);
        agent.doWork();
        time.advanceMillis(1_000); // the next cycle (TEST_SECONDLY)
        offer(1, 3);
        agent.doWork();
        offer(1, 4);
        agent.doWork();
        time.advanceMillis(3_000);
        offer(1, 5);
        agent.doWork();
        final int first = journal.queue().rollCycle().toCycle(journal.queue().firstIndex());
        assertThat(journaled()).containsExactly("type4@" + first, "1:1", "1:2", "type4@" + (first + 1), "1:3", "1:4",
            "type4@" + (first + 4), "1:5");
    }

    @Test
    void aResetSourceStartsAgainAtOneAfterItsResetRecord() throws Exception {
        offer(7, 1);
        offer(7, 2);
        agent.doWork();
        final CompletableFuture<Long> reset = proxy.resetSource(7, SourceResetRecord.encode(7, 2, "op", 0));
        agent.doWork();
        assertThat(reset.get(1, TimeUnit.SECONDS)).isPositive();
        assertThat(sources.get(7).durableSequence()).isZero();
        offer(7, 1); // the source's new numbering: journaled, not a duplicate
        agent.doWork();
        assertThat(journaled()).containsExactly("7:1", "7:2", "type6@" + journal.queue().rollCycle().toCycle(reset.get()),
            "7:1");
        assertThat(sources.get(7).durableSequence()).isEqualTo(1);
    }

    @Test
    void closeDrainsWhatWasQueued() {
        offer(1, 1);
        offer(1, 2);
        agent.onClose();
        start(Durability.SYNC); // tearDown closes this one
        assertThat(journaled()).containsExactly("1:1", "1:2");
    }
}
