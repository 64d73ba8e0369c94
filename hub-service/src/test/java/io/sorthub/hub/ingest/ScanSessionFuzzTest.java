package io.sorthub.hub.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of what a scan connection runs on: the length-field codec and the
 * session (HELLO, SCAN, dedup, routing, journal hand-off), fed arbitrary bytes in arbitrary
 * read sizes. Input layout: byte 0 bit 0 = send a valid HELLO first (so the fuzzer spends its
 * time past it), byte 1 = seed of the read sizes, the rest = the byte stream. The seeds in
 * {@code ScanSessionFuzzTestInputs} are real sessions.
 *
 * <p>Whatever arrives: no exception escapes the pipeline, everything the hub sends back is a
 * valid frame, and what it hands to the journal is only well-formed SCANs of the greeted
 * source in strictly increasing sequence.
 */
class ScanSessionFuzzTest {
    private static final int SOURCE = 4;
    private static final HubMetrics METRICS = new HubMetrics();
    private static final SortPlanHolder PLANS;

    static {
        try {
            PLANS = new SortPlanHolder(new SortPlanCompiler().compile("""
                name: fuzz
                rejectOutlet: 99
                defaultOutlet: 98
                outlets: [{id: 1}, {id: 2}, {id: 98}, {id: 99, type: reject}]
                rules:
                  - {id: 10, destinationPrefix: "10", outlet: 1}
                  - {id: 11, barcodePattern: "SF[0-9]+", outlet: 2}
                """, 7));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final io.sorthub.hub.journal.JournalProxy proxy = new io.sorthub.hub.journal.JournalProxy(256 * 1024);
    private final org.agrona.concurrent.ringbuffer.RingBuffer ring = proxy.ring();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final FrameDecoder replies = new FrameDecoder();
    private final FrameDecoder journaled = new FrameDecoder();
    private long lastJournaled;
    private int journaledSource;

    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyByteStreamLeavesTheSessionSafe(byte[] input) {
        if (input.length < 2) {
            return;
        }
        lastJournaled = Long.MIN_VALUE;
        journaledSource = -1;
        final SourceRegistry sources = new SourceRegistry(s -> s.events(METRICS.source(s)));
        final IngestContext context = new IngestContext(sources, PLANS, new OutletStates(), proxy,
            Disks.unchecked(), null, METRICS, System::nanoTime, Frame.MAX_FRAME_LENGTH, 5000,
            IngestContext.Limits.DEFAULTS, () -> null, new LoopSignals(16), new io.sorthub.hub.ops.HubOps(0),
            io.sorthub.hub.security.HelloRate.unlimited());
        final EmbeddedChannel channel = ScanSessionTest.pipeline(context);
        try {
            if ((input[0] & 1) != 0) {
                final int length = new HelloFlyweight().wrapForEncode(frame, 0).sourceId(SOURCE)
                    .strings("fuzz", "").frameLength();
                channel.writeInbound(Unpooled.copiedBuffer(frame.byteArray(), 0, length));
                drain(channel);
            }
            int readSize = (input[1] & 0xFF) | 1;
            for (int at = 2; at < input.length && channel.isOpen(); ) {
                final int n = Math.min(readSize, input.length - at);
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, n)); // rethrows what the pipeline threw
                drain(channel);
                at += n;
                readSize = (readSize * 37 + 11) % 301 + 1; // 1..301 bytes a read
            }
        } finally {
            channel.finishAndReleaseAll();
            drainJournalQueue(); // closing may still retry a held frame: it must be just as sound
        }
    }

    private void drain(EmbeddedChannel channel) {
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            try {
                while (out.isReadable()) {
                    assertThat(out.readableBytes()).isGreaterThanOrEqualTo(Frame.HEADER_LENGTH);
                    final int length = out.getIntLE(out.readerIndex());
                    assertThat(length).isBetween(Frame.HEADER_LENGTH, Math.min(out.readableBytes(), Frame.MAX_FRAME_LENGTH));
                    out.readBytes(frame.byteArray(), 0, length);
                    final int type = replies.decode(frame, 0, length);
                    assertThat(type).as("reply: %s", replies.error()).isPositive();
                }
            } finally {
                out.release();
            }
        }
        drainJournalQueue();
    }

    private void drainJournalQueue() {
        ring.read((msgType, buffer, index, length) -> {
            final JournalRecord record = new JournalRecord().wrap(buffer, index);
            assertThat(record.type()).isEqualTo(JournalRecord.TYPE_SCAN);
            if (journaledSource < 0) {
                journaledSource = record.scan().sourceId();
            }
            assertThat(record.scan().sourceId()).as("one connection, one source").isEqualTo(journaledSource);
            final int scanLength = buffer.getInt(index + ScanRecord.SCAN_OFFSET, Frame.BYTE_ORDER);
            assertThat(scanLength).isLessThanOrEqualTo(length - ScanRecord.SCAN_OFFSET);
            assertThat(journaled.decode(buffer, index + ScanRecord.SCAN_OFFSET, scanLength))
                .as("journaled frame: %s", journaled.error()).isEqualTo(MessageType.SCAN);
            final long sequence = journaled.scan().sequence();
            assertThat(sequence).as("journal sequence after %d", lastJournaled).isGreaterThan(lastJournaled);
            lastJournaled = sequence;
        });
    }
}
