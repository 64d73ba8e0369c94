package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HeartbeatFlyweight;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec and session on Netty's EmbeddedChannel: no socket, every byte visible. */
class ScanSessionHandlerTest {
    private static final String PLAN = """
        name: t
        rejectOutlet: 99
        defaultOutlet: 98
        outlets: [{id: 1}, {id: 98}, {id: 99, type: reject}]
        rules: [{id: 10, destinationPrefix: "10", outlet: 1}]
        """;

    private ManyToOneRingBuffer ring;
    private SourceRegistry sources;
    private EmbeddedChannel channel;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[2048]);
    private final FrameDecoder decoder = new FrameDecoder();

    @BeforeEach
    void setUp() throws Exception {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
        final HubMetrics metrics = new HubMetrics();
        sources = new SourceRegistry(s -> s.events(metrics.source(s)));
        final IngestContext context = new IngestContext(sources,
            new SortPlanHolder(new SortPlanCompiler().compile(PLAN, 7)), new io.sorthub.hub.routing.OutletStates(), ring, () -> { },
            new io.sorthub.hub.journal.DiskGuard(java.nio.file.Path.of("."), 0), null, metrics,
            System::nanoTime, 1024, 5000, IngestContext.Limits.DEFAULTS);
        channel = new EmbeddedChannel(new ScanFrameDecoder(1024), new ScanSessionHandler(context));
    }

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll(); // frames nobody read are released: the leak detector stays quiet
    }

    private ByteBuf frame(int length) {
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, length);
    }

    private void writeHello(int sourceId) {
        channel.writeInbound(frame(new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(sourceId).strings("s", "").frameLength()));
    }

    private int scan(long sequence, EventKind kind, String barcode, String destination) {
        return new ScanFlyweight().wrapForEncode(buffer, 0).sequence(sequence).kind(kind)
            .strings("T", barcode, destination, "").frameLength();
    }

    /** Decode the next outbound frame; returns its type. */
    private int nextOutbound() {
        final ByteBuf out = channel.readOutbound();
        assertThat(out).as("an outbound frame").isNotNull();
        final int length = out.readableBytes();
        out.getBytes(out.readerIndex(), received.byteArray(), 0, length);
        out.release();
        final int type = decoder.decode(received, 0, received.getInt(0, io.sorthub.protocol.Frame.BYTE_ORDER));
        assertThat(type).as(decoder.error().toString()).isPositive();
        return type;
    }

    @Test
    void helloIsWelcomedWithTheResumePoint() {
        writeHello(4);
        assertThat(nextOutbound()).isEqualTo(MessageType.WELCOME);
        assertThat(decoder.welcome().sourceId()).isEqualTo(4);
        assertThat(decoder.welcome().resumeSequence()).isZero();
        assertThat(decoder.welcome().planVersion()).isEqualTo(7);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void scansAreDecidedAtOnceAndQueuedForTheJournalInOrder() {
        writeHello(4);
        nextOutbound();
        // Two frames arriving in one read, split at an awkward byte boundary.
        final int a = scan(1, EventKind.SORT_REQUEST, "P1", "1088");
        final byte[] first = java.util.Arrays.copyOf(buffer.byteArray(), a);
        final int b = scan(2, EventKind.NO_READ, "", "");
        final ByteBuf both = Unpooled.buffer().writeBytes(first).writeBytes(buffer.byteArray(), 0, b);
        channel.writeInbound(both.readRetainedSlice(a + 3));
        channel.writeInbound(both);

        // DECISIONs are coalesced per read batch: one outbound buffer per read-complete.
        final List<long[]> decisions = new ArrayList<>();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            while (out.isReadable()) {
                final int length = out.getIntLE(out.readerIndex());
                out.readBytes(received.byteArray(), 0, length);
                assertThat(decoder.decode(received, 0, length)).isEqualTo(MessageType.DECISION);
                decisions.add(new long[] {decoder.decision().sequence(), decoder.decision().outlet(),
                    decoder.decision().reasonCode()});
            }
            out.release();
        }
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0)).containsExactly(1, 1, DecisionReason.RULE.code());
        assertThat(decisions.get(1)).containsExactly(2, 99, DecisionReason.NO_READ.code());

        final List<Long> journaled = new ArrayList<>();
        ring.read((type, buf, index, length) -> {
            final JournalRecord record = new JournalRecord().wrap(buf, index);
            journaled.add(record.scan().sequence());
            assertThat(record.sourceId()).isEqualTo(4);
            assertThat(record.planVersion()).isEqualTo(7);
        });
        assertThat(journaled).containsExactly(1L, 2L);
    }

    @Test
    void theInFlightCapStopsReadingUntilTheJournalCatchesUp() throws Exception {
        final HubMetrics metrics = new HubMetrics();
        final SourceRegistry registry = new SourceRegistry(s -> s.events(metrics.source(s)));
        final IngestContext context = new IngestContext(registry,
            new SortPlanHolder(new SortPlanCompiler().compile(PLAN, 7)), new io.sorthub.hub.routing.OutletStates(), ring, () -> { },
            new io.sorthub.hub.journal.DiskGuard(java.nio.file.Path.of("."), 0), null, metrics,
            System::nanoTime, 1024, 5000, new IngestContext.Limits(10_000, 30_000, 100, 10));
        final EmbeddedChannel capped = new EmbeddedChannel(new ScanFrameDecoder(1024), new ScanSessionHandler(context));
        try {
            capped.writeInbound(frame(new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(9).strings("s", "").frameLength()));
            for (int i = 1; i <= 15; i++) {
                capped.writeInbound(frame(scan(i, EventKind.SORT_REQUEST, "P" + i, "10")));
            }
            final List<Long> journaled = new ArrayList<>();
            ring.read((type, buf, index, length) -> journaled.add(JournalRecord.sequence(buf, index)));
            assertThat(journaled).as("10 in flight at most").hasSize(10);
            assertThat(capped.config().isAutoRead()).isFalse();
            assertThat(metrics.scrape()).contains("sorthub_limit_trips_total{limit=\"max_in_flight\"} 1.0");

            final var source = registry.get(9); // the journal catches up
            source.journaled(10);
            source.publishDurable();
            for (int round = 0; round < 20 && journaled.size() < 15; round++) {
                capped.runPendingTasks();
                capped.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
                capped.runScheduledPendingTasks();
                ring.read((type, buf, index, length) -> journaled.add(JournalRecord.sequence(buf, index)));
            }
            assertThat(journaled).hasSize(15);
            assertThat(capped.config().isAutoRead()).isTrue();
        } finally {
            capped.finishAndReleaseAll();
        }
    }

    @Test
    void heartbeatIsEchoed() {
        writeHello(4);
        nextOutbound();
        channel.writeInbound(frame(new HeartbeatFlyweight().wrapForEncode(buffer, 0).timeMs(12345).frameLength()));
        assertThat(nextOutbound()).isEqualTo(MessageType.HEARTBEAT);
        assertThat(decoder.heartbeat().timeMs()).isEqualTo(12345);
    }

    @Test
    void secondHelloIsAProtocolViolationAndCloses() {
        writeHello(4);
        nextOutbound();
        writeHello(4);
        assertThat(nextOutbound()).isEqualTo(MessageType.ERROR);
        assertThat(decoder.errorFrame().code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void framesAfterAnErrorAreIgnoredNotJournaled() {
        writeHello(4);
        nextOutbound();
        final int good = scan(1, EventKind.SORT_REQUEST, "P1", "10");
        final byte[] goodBytes = java.util.Arrays.copyOf(buffer.byteArray(), good);
        buffer.putByte(4, (byte) 9); // corrupt the version of the next frame
        final int bad = scan(2, EventKind.SORT_REQUEST, "P2", "10");
        buffer.putByte(4, (byte) 9);
        final byte[] badBytes = java.util.Arrays.copyOf(buffer.byteArray(), bad);
        final int after = scan(3, EventKind.SORT_REQUEST, "P3", "10");
        channel.writeInbound(Unpooled.buffer().writeBytes(goodBytes).writeBytes(badBytes)
            .writeBytes(buffer.byteArray(), 0, after));
        final List<Long> journaled = new ArrayList<>();
        ring.read((type, buf, index, length) -> journaled.add(JournalRecord.sequence(buf, index)));
        assertThat(journaled).containsExactly(1L);
    }

    @Test
    void aFullJournalQueueStopsReadingInsteadOfDroppingEvents() {
        writeHello(4);
        nextOutbound();
        // Fill the 64 KiB queue: nothing drains it while the session keeps sending.
        int sent = 0;
        final int perFrame = scan(1, EventKind.SORT_REQUEST, "P", "10");
        final int frames = 64 * 1024 / (perFrame + JournalRecord.HEADER_LENGTH) + 50;
        for (int i = 1; i <= frames; i++) {
            channel.writeInbound(frame(scan(i, EventKind.SORT_REQUEST, "P" + i, "10")));
            sent++;
        }
        assertThat(channel.config().isAutoRead()).as("reading paused").isFalse();
        final List<Long> journaled = new ArrayList<>();
        // The writer drains; the session retries its stalled frames and resumes reading.
        for (int round = 0; round < 100 && journaled.size() < sent; round++) {
            ring.read((type, buf, index, length) -> journaled.add(JournalRecord.sequence(buf, index)));
            channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertThat(journaled).hasSize(sent);
        for (int i = 0; i < sent; i++) {
            assertThat(journaled.get(i)).isEqualTo(i + 1);
        }
        assertThat(channel.config().isAutoRead()).as("reading resumed").isTrue();
    }
}
