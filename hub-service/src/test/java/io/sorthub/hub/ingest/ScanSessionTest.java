package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan pipeline (codec, flow control, gate, session) on Netty's EmbeddedChannel: no socket, every byte visible. */
class ScanSessionTest {
    private static final String PLAN = """
        name: t
        rejectOutlet: 99
        defaultOutlet: 98
        outlets: [{id: 1}, {id: 98}, {id: 99, type: reject}]
        rules: [{id: 10, destinationPrefix: "10", outlet: 1}]
        """;

    private io.sorthub.hub.journal.JournalProxy proxy;
    private final LoopSignals signals = new LoopSignals(100);
    private org.agrona.concurrent.ringbuffer.RingBuffer ring;
    private SourceRegistry sources;
    private EmbeddedChannel channel;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[2048]);
    private final FrameDecoder decoder = new FrameDecoder();

    @BeforeEach
    void setUp() throws Exception {
        proxy = new io.sorthub.hub.journal.JournalProxy(64 * 1024);
        ring = proxy.ring();
        final HubMetrics metrics = new HubMetrics();
        sources = new SourceRegistry(s -> s.events(metrics.source(s)));
        final IngestContext context = new IngestContext(sources,
            new SortPlanHolder(new SortPlanCompiler().compile(PLAN, 7)), new io.sorthub.hub.outlet.OutletStates(), proxy,
            Disks.unchecked(), null, metrics,
            System::nanoTime, 1024, 5000, IngestContext.Limits.DEFAULTS, () -> null, signals, new io.sorthub.hub.ops.HubOps(0),
            io.sorthub.hub.security.HelloRate.unlimited());
        channel = pipeline(context);
    }

    /** A connection's real pipeline on an EmbeddedChannel. */
    static EmbeddedChannel pipeline(IngestContext context) {
        final EmbeddedChannel ch = new EmbeddedChannel();
        ScanPipeline.install(ch.pipeline(), null, context);
        return ch;
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
            journaled.add(record.scan().frame().sequence());
            assertThat(record.scan().sourceId()).isEqualTo(4);
            assertThat(record.scan().planVersion()).isEqualTo(7);
        });
        assertThat(journaled).containsExactly(1L, 2L);
    }

    @Test
    void theInFlightCapStopsReadingUntilTheJournalCatchesUp() throws Exception {
        final HubMetrics metrics = new HubMetrics();
        final SourceRegistry registry = new SourceRegistry(s -> s.events(metrics.source(s)));
        final IngestContext context = new IngestContext(registry,
            new SortPlanHolder(new SortPlanCompiler().compile(PLAN, 7)), new io.sorthub.hub.outlet.OutletStates(), proxy,
            Disks.unchecked(), null, metrics,
            System::nanoTime, 1024, 5000, new IngestContext.Limits(10_000, 30_000, 100, 10, 1_000_000), () -> null, signals, new io.sorthub.hub.ops.HubOps(0),
            io.sorthub.hub.security.HelloRate.unlimited());
        final EmbeddedChannel capped = pipeline(context);
        try {
            capped.writeInbound(frame(new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(9).strings("s", "").frameLength()));
            for (int i = 1; i <= 15; i++) {
                capped.writeInbound(frame(scan(i, EventKind.SORT_REQUEST, "P" + i, "10")));
            }
            final List<Long> journaled = new ArrayList<>();
            ring.read((type, buf, index, length) -> journaled.add(ScanRecord.sequence(buf, index)));
            assertThat(journaled).as("10 in flight at most").hasSize(10);
            assertThat(capped.config().isAutoRead()).isFalse();
            assertThat(metrics.scrape()).contains("sorthub_limit_trips_total{limit=\"max_in_flight\"} 1.0");

            final var source = registry.get(9); // the journal catches up
            for (long seq = 1; seq <= 10; seq++) {
                source.journaled(seq);
            }
            source.publishDurable();
            for (int round = 0; round < 20 && journaled.size() < 15; round++) {
                capped.runPendingTasks();
                ring.read((type, buf, index, length) -> journaled.add(ScanRecord.sequence(buf, index)));
            }
            assertThat(journaled).hasSize(15);
            assertThat(capped.config().isAutoRead()).isTrue();
        } finally {
            capped.finishAndReleaseAll();
        }
    }

    @Test
    void theDecisionsOfOneSocketReadGoOutInOneWrite() {
        writeHello(4);
        nextOutbound();
        final ByteBuf read = Unpooled.buffer();
        for (int i = 1; i <= 5; i++) {
            read.writeBytes(buffer.byteArray(), 0, scan(i, EventKind.SORT_REQUEST, "P" + i, "1088"));
        }
        channel.writeInbound(read); // one socket read, one read-complete

        // One outbound buffer for the whole read: a write per frame cost the hub 100,000
        // syscalls a second at 100,000 events/s (and its tail a second).
        final ByteBuf out = channel.readOutbound();
        assertThat(out).isNotNull();
        int decisions = 0;
        while (out.isReadable()) {
            final int length = out.getIntLE(out.readerIndex());
            out.readBytes(received.byteArray(), 0, length);
            assertThat(decoder.decode(received, 0, length)).isEqualTo(MessageType.DECISION);
            decisions++;
        }
        out.release();
        assertThat(decisions).isEqualTo(5);
        assertThat((Object) channel.readOutbound()).as("no second write for the same read").isNull();
    }

    @Test
    void anAckDueWhileTheLoopWasBusyGoesOutWithTheNextReadsDecisionsInOneWrite() {
        writeHello(4);
        nextOutbound();
        channel.writeInbound(frame(scan(1, EventKind.SORT_REQUEST, "P1", "1088")));
        assertThat(replies(channel)).containsExactly("DECISION:1:RULE");
        journalWhatIsQueued(); // durable up to 1; the writer's signal waits in the loop's queue

        final ByteBuf read = Unpooled.buffer();
        for (int i = 2; i <= 3; i++) {
            read.writeBytes(buffer.byteArray(), 0, scan(i, EventKind.SORT_REQUEST, "P" + i, "1088"));
        }
        channel.pipeline().fireChannelRead(read); // the read is handled before the queued signal runs
        channel.pipeline().fireChannelReadComplete();
        final ByteBuf out = channel.readOutbound();
        final List<String> inOneWrite = new ArrayList<>();
        while (out.isReadable()) {
            final int length = out.getIntLE(out.readerIndex());
            out.readBytes(received.byteArray(), 0, length);
            final int type = decoder.decode(received, 0, length);
            inOneWrite.add(type == MessageType.ACK ? "ACK:" + decoder.ack().sequence() : "DECISION:" + decoder.decision().sequence());
        }
        out.release();
        assertThat(inOneWrite).containsExactly("DECISION:2", "DECISION:3", "ACK:1");
        channel.runPendingTasks(); // the signal: nothing new is durable, so nothing is written
        assertThat((Object) channel.readOutbound()).isNull();
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
        ring.read((type, buf, index, length) -> journaled.add(ScanRecord.sequence(buf, index)));
        assertThat(journaled).containsExactly(1L);
    }

    @Test
    void aFullJournalQueueStopsReadingInsteadOfDroppingEvents() {
        writeHello(4);
        nextOutbound();
        // Fill the 64 KiB queue: nothing drains it while the session keeps sending.
        int sent = 0;
        final int perFrame = scan(1, EventKind.SORT_REQUEST, "P", "10");
        final int frames = 64 * 1024 / (perFrame + ScanRecord.FIXED_LENGTH) + 50;
        for (int i = 1; i <= frames; i++) {
            channel.writeInbound(frame(scan(i, EventKind.SORT_REQUEST, "P" + i, "10")));
            sent++;
        }
        assertThat(channel.config().isAutoRead()).as("reading paused").isFalse();
        final List<Long> journaled = new ArrayList<>();
        // The writer drains; the session retries its stalled frames and resumes reading.
        for (int round = 0; round < 100 && journaled.size() < sent; round++) {
            ring.read((type, buf, index, length) -> journaled.add(ScanRecord.sequence(buf, index)));
            signals.afterJournalBatch().run(); // what the writer does after each batch
            channel.runPendingTasks();
        }
        assertThat(journaled).hasSize(sent);
        for (int i = 0; i < sent; i++) {
            assertThat(journaled.get(i)).isEqualTo(i + 1);
        }
        assertThat(channel.config().isAutoRead()).as("reading resumed").isTrue();
    }

    // --- the acknowledgement promise at the session's edges ----------------------------------

    private IngestContext context(IngestContext.Limits limits, HubMetrics metrics) throws Exception {
        return new IngestContext(sources, new SortPlanHolder(new SortPlanCompiler().compile(PLAN, 7)),
            new io.sorthub.hub.outlet.OutletStates(), proxy, Disks.unchecked(),
            null, metrics, System::nanoTime, 1024, 5000, limits, () -> null, signals, new io.sorthub.hub.ops.HubOps(0),
            io.sorthub.hub.security.HelloRate.unlimited());
    }

    /** Every frame written to {@code ch} so far, decoded as type:sequence-or-code:detail. */
    private List<String> replies(EmbeddedChannel ch) {
        final List<String> out = new ArrayList<>();
        for (ByteBuf buf = ch.readOutbound(); buf != null; buf = ch.readOutbound()) {
            while (buf.isReadable()) {
                final int length = buf.getIntLE(buf.readerIndex());
                buf.readBytes(received.byteArray(), 0, length);
                switch (decoder.decode(received, 0, length)) {
                    case MessageType.WELCOME -> out.add("WELCOME:" + decoder.welcome().resumeSequence());
                    case MessageType.DECISION -> out.add("DECISION:" + decoder.decision().sequence() + ":"
                        + decoder.decision().reason());
                    case MessageType.ACK -> out.add("ACK:" + decoder.ack().sequence());
                    case MessageType.ERROR -> out.add("ERROR:" + decoder.errorFrame().code() + ":" + decoder.errorFrame().message());
                    default -> out.add("other");
                }
            }
            buf.release();
        }
        return out;
    }

    /** The writer's part, by hand: journal every queued record, publish once. */
    private List<Long> journalWhatIsQueued() {
        final List<Long> journaled = new ArrayList<>();
        ring.read((type, buf, index, length) -> {
            final var state = sources.get(buf.getInt(index + ScanRecord.SOURCE_ID_OFFSET, io.sorthub.protocol.Frame.BYTE_ORDER));
            final long sequence = ScanRecord.sequence(buf, index);
            if (sequence > state.journaledSequence()) {
                state.journaled(sequence);
                journaled.add(sequence);
            } else {
                state.droppedDuplicate();
            }
        });
        sources.all().forEach(io.sorthub.hub.source.SourceState::publishDurable);
        return journaled;
    }

    @Test
    void aSessionTakingOverAnswersDuplicateForWhatTheReplacedOneQueuedOrTheJournalHolds() throws Exception {
        writeHello(4);
        nextOutbound();
        for (int i = 1; i <= 10; i++) {
            channel.writeInbound(frame(scan(i, EventKind.SORT_REQUEST, "P" + i, "10")));
        }
        replies(channel);
        // A gateway reconnects (half-open old connection) before the writer reached events 1..10.
        final EmbeddedChannel next = pipeline(context(IngestContext.Limits.DEFAULTS, new HubMetrics()));
        try {
            next.writeInbound(frame(new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(4).strings("s", "").frameLength()));
            next.writeInbound(frame(scan(10, EventKind.SORT_REQUEST, "P10", "10")));
            assertThat(replies(next)).as("WELCOME promises only what is durable; 10 is on its way to the journal, "
                + "so it is not decided again").containsExactly("WELCOME:0", "DECISION:10:DUPLICATE");
            assertThat(journalWhatIsQueued()).as("the replaced session's events, once").hasSize(10);
            next.runPendingTasks();
            assertThat(replies(next)).containsExactly("ACK:10");
            channel.runPendingTasks();
            assertThat(replies(channel)).singleElement().asString().startsWith("ERROR:SESSION_REPLACED");
        } finally {
            next.finishAndReleaseAll();
        }
    }

    @Test
    void aResendOfWhatIsDurableIsAnsweredDuplicateAndAcknowledgedAgain() throws Exception {
        writeHello(4);
        nextOutbound();
        // The writer journaled 1..20 for an earlier session; this session's resume point said 0.
        final var state = sources.get(4);
        for (int i = 1; i <= 20; i++) {
            state.journaled(i);
        }
        state.publishDurable();
        channel.runPendingTasks();
        replies(channel);
        channel.writeInbound(frame(scan(20, EventKind.SORT_REQUEST, "P20", "10")));
        assertThat(replies(channel)).containsExactly("DECISION:20:DUPLICATE", "ACK:20");
        assertThat(journalWhatIsQueued()).as("not queued for the journal again").isEmpty();
    }

    @Test
    void aGapWiderThanTheInFlightBoundIsTakenInFlightCountsEventsNotSequenceDistance() throws Exception {
        final EmbeddedChannel capped = pipeline(context(new IngestContext.Limits(10_000, 30_000, 100, 10, 1_000_000), new HubMetrics()));
        try {
            capped.writeInbound(frame(new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(9).strings("s", "").frameLength()));
            capped.writeInbound(frame(scan(1, EventKind.SORT_REQUEST, "P1", "10")));
            capped.writeInbound(frame(scan(600_001, EventKind.SORT_REQUEST, "P2", "10")));
            assertThat(journalWhatIsQueued()).containsExactly(1L, 600_001L);
            capped.runPendingTasks();
            assertThat(replies(capped)).containsExactly("WELCOME:0", "DECISION:1:RULE", "DECISION:600001:RULE",
                "ACK:600001");
            assertThat(capped.config().isAutoRead()).isTrue();
        } finally {
            capped.finishAndReleaseAll();
        }
    }

    @Test
    void aJumpBeyondTheSequenceGapBoundIsRefusedByNameNotTakenSilently() {
        writeHello(4);
        nextOutbound();
        channel.writeInbound(frame(scan(1, EventKind.SORT_REQUEST, "P1", "10")));
        channel.writeInbound(frame(scan(1_000_002, EventKind.SORT_REQUEST, "P2", "10")));
        final List<String> out = replies(channel);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo("DECISION:1:RULE");
        assertThat(out.get(1)).startsWith("ERROR:INVALID_FIELD:SCAN sequence 1000002 jumps 1000001 past 1")
            .contains("maxSequenceGap");
        assertThat(journalWhatIsQueued()).containsExactly(1L);
    }

    @Test
    void silenceWhileTheHubHoldsTheConnectionIsNotTheSourcesFault() {
        writeHello(4);
        nextOutbound();
        // Fill the journal queue: the hub stops reading this connection itself.
        final int perFrame = scan(1, EventKind.SORT_REQUEST, "P", "10");
        final int frames = 64 * 1024 / (perFrame + ScanRecord.FIXED_LENGTH) + 50;
        for (int i = 1; i <= frames; i++) {
            channel.writeInbound(frame(scan(i, EventKind.SORT_REQUEST, "P" + i, "10")));
        }
        assertThat(channel.config().isAutoRead()).isFalse();
        replies(channel);
        channel.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.READER_IDLE_STATE_EVENT);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("paused by the hub: no idle timeout").isTrue();
        assertThat(replies(channel)).noneMatch(r -> r.startsWith("ERROR"));
        // Once it reads again, silence is the source's again.
        for (int round = 0; round < 100 && !channel.config().isAutoRead(); round++) {
            journalWhatIsQueued();
            signals.afterJournalBatch().run();
            channel.runPendingTasks();
        }
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.READER_IDLE_STATE_EVENT);
        channel.runPendingTasks();
        assertThat(replies(channel)).anyMatch(r -> r.startsWith("ERROR:PROTOCOL_VIOLATION:nothing received"));
    }
}
