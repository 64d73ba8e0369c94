package io.sorthub.hub.journal;

import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.source.DurableListener;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal writer driven by hand through doWork(), against a real queue on disk. */
class JournalAgentTest {
    @TempDir
    Path dir;
    private Journal journal;
    private ManyToOneRingBuffer ring;
    private SourceRegistry sources;
    private JournalAgent agent;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
    private final ScanFlyweight scan = new ScanFlyweight();
    private final Decision decision = new Decision().set(3, DecisionReason.RULE, 10, 77);

    @BeforeEach
    void setUp() {
        journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
        sources = new SourceRegistry();
        agent = new JournalAgent(ring, journal, sources, new HubMetrics());
    }

    @AfterEach
    void tearDown() {
        agent.onClose();
        journal.close();
    }

    private void offer(int sourceId, long sequence) {
        scan.wrapForEncode(frame, 0).sequence(sequence).kind(EventKind.SORT_REQUEST).strings("T", "B" + sequence, "100", "");
        final int index = ring.tryClaim(1, JournalRecord.HEADER_LENGTH + scan.frameLength());
        JournalRecord.encode(ring.buffer(), index, sourceId, 1_000L * sequence, decision, scan);
        ring.commit(index);
    }

    private List<long[]> journaled() {
        final List<long[]> out = new ArrayList<>();
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readAll((index, record) -> out.add(new long[] {record.sourceId(), record.scan().sequence(),
                record.outlet(), record.planVersion(), record.receivedAtNs()}));
        }
        return out;
    }

    @Test
    void appendsInOrderAndPublishesDurableSequenceAfterTheBatch() {
        final SourceState source = sources.get(1);
        final AtomicInteger told = new AtomicInteger();
        sources.open(1, new DurableListener() {
            @Override
            public void onDurable() {
                told.incrementAndGet();
            }

            @Override
            public void onReplaced() {
            }
        });
        offer(1, 1);
        offer(1, 2);
        offer(2, 1);
        assertThat(source.durableSequence()).isZero();
        assertThat(agent.doWork()).isEqualTo(3);
        assertThat(source.durableSequence()).isEqualTo(2);
        assertThat(sources.get(2).durableSequence()).isEqualTo(1);
        assertThat(told.get()).as("one notification per batch, not per event").isEqualTo(1);
        assertThat(agent.doWork()).isZero();
        assertThat(journaled()).extracting(r -> r[0] + ":" + r[1] + ":" + r[2] + ":" + r[3] + ":" + r[4])
            .containsExactly("1:1:3:77:1000", "1:2:3:77:2000", "2:1:3:77:1000");
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
        assertThat(journaled()).extracting(r -> r[1]).containsExactly(1L, 2L, 3L);
        assertThat(sources.get(5).durableSequence()).isEqualTo(3);
    }

    @Test
    void closeDrainsWhatWasQueued() {
        offer(1, 1);
        offer(1, 2);
        agent.onClose();
        agent = new JournalAgent(ring, journal, sources, new HubMetrics()); // tearDown closes this one
        assertThat(journaled()).hasSize(2);
    }
}
