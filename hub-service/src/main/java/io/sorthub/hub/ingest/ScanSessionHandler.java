package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.metrics.LoopMetrics;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.source.SourceSession;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.AckFlyweight;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.ErrorFlyweight;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HeartbeatFlyweight;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.WelcomeFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One scan connection, on its event loop: decode, dedup check, route, hand to the journal
 * writer, answer DECISION at once and ACK when the journal says the events are durable.
 *
 * <p>Nothing here allocates per event: frames are read through a flyweight over the
 * frame's own memory, replies are encoded into a scratch buffer and appended to one
 * outbound buffer per read batch, flushed once at read-complete (one syscall per batch).
 *
 * <p>Back-pressure, not unbounded memory: when the journal queue is full the connection
 * stops reading and retries shortly; when the client does not read its replies, the
 * connection stops reading until the socket drains.
 */
public final class ScanSessionHandler extends ChannelInboundHandlerAdapter implements SourceSession {
    private static final int OUT_CHUNK = 16 * 1024;
    private static final long STALL_RETRY_MIN_MICROS = 200;
    private static final long STALL_RETRY_MAX_MICROS = 100_000;

    private enum State { AWAITING_HELLO, OPEN, CLOSING }

    private final IngestContext shared;
    private final JournalProxy journal;
    private final FrameDecoder decoder;
    private final UnsafeBuffer in = new UnsafeBuffer(0, 0);
    private final byte[] copyArea;
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[ErrorFlyweight.FIXED_LENGTH
        + ErrorFlyweight.MAX_MESSAGE_LENGTH]);
    private final DecisionFlyweight decisionFrame = new DecisionFlyweight();
    private final AckFlyweight ackFrame = new AckFlyweight();
    private final HeartbeatFlyweight heartbeatFrame = new HeartbeatFlyweight();
    private final Decision decision = new Decision();
    private final AtomicBoolean ackScheduled = new AtomicBoolean();
    private final Runnable ackTask = this::sendAck;
    private final Runnable retryTask = this::retryStalled;

    private ChannelHandlerContext ctx;
    private LoopMetrics counters;
    private long sourceEvents;
    private State state = State.AWAITING_HELLO;
    private SourceState source;
    private ByteBuf out;
    private long lastAccepted;
    private int offeredInBatch;
    private boolean stopped;
    private long lastAckSent;
    private boolean ackWanted;
    private boolean queuedForJournal;
    private ArrayDeque<ByteBuf> stalled;
    private boolean pausedForJournal;
    private boolean pausedForWrite;
    private long stallRetryMicros = STALL_RETRY_MIN_MICROS;
    private int latencySample;
    private long framesIn;
    private long bytesIn;
    private long framesOut;
    private long bytesOut;

    public ScanSessionHandler(IngestContext shared) {
        this.shared = shared;
        this.journal = shared.journal();
        this.decoder = new FrameDecoder(shared.maxFrameLength());
        this.copyArea = new byte[shared.maxFrameLength()];
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.counters = shared.metrics().loop(); // this event loop's counters, looked up once
        final IngestContext.Limits limits = shared.limits();
        if (shared.metrics().connectionOpened() > limits.maxConnections()) {
            shared.metrics().limitTripped("max_connections");
            fail(ErrorCode.UNAVAILABLE, "too many connections: the hub takes " + limits.maxConnections() + " at most", 0);
            return;
        }
        // No HELLO in time: a half-open or hostile connection must not hold a slot.
        ctx.executor().schedule(() -> {
            if (state == State.AWAITING_HELLO) {
                shared.metrics().limitTripped("hello_timeout");
                fail(ErrorCode.PROTOCOL_VIOLATION, "no HELLO within " + limits.helloTimeoutMs() + " ms", 0);
            }
        }, limits.helloTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        final ByteBuf frame = (ByteBuf) msg;
        if (stalled != null && !stalled.isEmpty()) {
            stalled.addLast(frame); // keep order behind frames waiting for journal space
            return;
        }
        try {
            if (!process(frame)) {
                stall(frame.retain());
            }
        } finally {
            frame.release();
        }
    }

    /** @return false when the journal queue had no room: the caller keeps the frame and retries. */
    private boolean process(ByteBuf frame) {
        if (state == State.CLOSING || stopped) {
            return true; // not accepted, not acknowledged: the source resends it to whoever runs next
        }
        wrap(frame);
        framesIn++;
        bytesIn += in.capacity();
        final int type = decoder.decode(in, 0, in.capacity());
        if (type < 0) {
            fail(decoder.error().code(), decoder.error().message(), 0);
            return true;
        }
        if (state == State.AWAITING_HELLO) {
            if (type == MessageType.HELLO) {
                onHello(decoder.hello());
            } else {
                fail(ErrorCode.PROTOCOL_VIOLATION, MessageType.name(type) + " before HELLO: a session must start with HELLO", 0);
            }
            return true;
        }
        switch (type) {
            case MessageType.SCAN: {
                // Latency of 1 SCAN in 16: the histogram's shape, at a sixteenth of the clock reads.
                final boolean sample = (++latencySample & 15) == 0;
                final long start = sample ? System.nanoTime() : 0;
                final boolean accepted = onScan(decoder.scan());
                if (sample && accepted) {
                    shared.metrics().decisionLatency(System.nanoTime() - start);
                }
                return accepted;
            }
            case MessageType.HEARTBEAT:
                writeHeartbeat(decoder.heartbeat().timeMs());
                return true;
            case MessageType.HELLO:
                fail(ErrorCode.PROTOCOL_VIOLATION, "second HELLO on an open session", 0);
                return true;
            default:
                fail(ErrorCode.PROTOCOL_VIOLATION, MessageType.name(type) + " is sent by the hub, not to it", 0);
                return true;
        }
    }

    private void wrap(ByteBuf frame) {
        final int length = frame.readableBytes();
        if (frame.hasMemoryAddress()) {
            in.wrap(frame.memoryAddress() + frame.readerIndex(), length);
        } else if (frame.hasArray()) {
            in.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
        } else {
            frame.getBytes(frame.readerIndex(), copyArea, 0, length);
            in.wrap(copyArea, 0, length);
        }
    }

    private void onHello(HelloFlyweight hello) {
        if (shared.devices() != null && !shared.devices().allows(hello.sourceId(), hello.credential())) {
            // Nothing from this connection is journaled: it never gets past HELLO.
            fail(ErrorCode.AUTHENTICATION_FAILED, "source " + hello.sourceId()
                + " is not in the hub's devices file, or its credential is wrong", 0);
            return;
        }
        final String unavailable = shared.unavailable().get();
        if (unavailable != null) {
            fail(ErrorCode.UNAVAILABLE, unavailable, 0);
            return;
        }
        if (shared.sources().get(hello.sourceId()).resetting()) {
            fail(ErrorCode.UNAVAILABLE, "source " + hello.sourceId() + " is being reset by an operator; "
                + "reconnect in a moment", 0);
            return;
        }
        source = shared.sources().open(hello.sourceId(), this);
        // What the hub already holds: journaled, or put on the journal queue by a session this
        // one replaces (whose records the writer has not reached yet).
        lastAccepted = Math.max(source.durableSequence(), source.acceptedSequence());
        state = State.OPEN;
        final SortPlan plan = shared.plans().current();
        final WelcomeFlyweight welcome = new WelcomeFlyweight().wrapForEncode(reply, 0)
            .sourceId(hello.sourceId())
            .heartbeatIntervalMs(shared.heartbeatIntervalMs())
            .resumeSequence(source.durableSequence()) // only what is durable: a source may delete up to it
            .serverTimeMs(System.currentTimeMillis())
            .planVersion(plan.version())
            .maxFrameLength(shared.maxFrameLength());
        append(welcome.frameLength());
        flushOut();
    }

    private boolean onScan(ScanFlyweight scan) {
        final long sequence = scan.sequence();
        final SortPlan plan = shared.plans().current();
        if (sequence <= lastAccepted || sequence <= source.durableSequence()) {
            // Resent after a reconnect: already journaled (or on its way). Answer, ACK, don't journal.
            decision.set(0, DecisionReason.DUPLICATE, 0, plan.version());
            shared.metrics().duplicateAnswered();
            ackWanted = true;
        } else {
            final long gap = shared.limits().maxSequenceGap();
            if (gap > 0 && sequence - lastAccepted > gap) {
                // One SCAN numbered far ahead would make the hub answer every later event of the
                // source DUPLICATE: refused, loudly, instead of silently taken.
                shared.metrics().limitTripped("max_sequence_gap");
                fail(ErrorCode.INVALID_FIELD, "SCAN sequence " + sequence + " jumps " + (sequence - lastAccepted)
                    + " past " + lastAccepted + ", the highest the hub holds for source " + source.sourceId()
                    + "; gaps of at most " + gap + " are accepted (maxSequenceGap)", sequence);
                return true;
            }
            if (shared.disk().blocked()) {
                return false; // journal disk nearly full: hold the event, stop reading, retry
            }
            // Events, not sequence distance: a source may skip numbers (PROTOCOL.md).
            if (source.inFlight() + offeredInBatch >= shared.limits().maxInFlight()) {
                if (!pausedForJournal) {
                    shared.metrics().limitTripped("max_in_flight");
                }
                return false; // too much accepted and not yet journaled: wait for the writer
            }
            final long nowNs = shared.clock().nanoTime();
            plan.decide(scan, nowNs / 1_000_000L, shared.outlets(), decision);
            if (!journal.offerScan(source.sourceId(), nowNs, decision, scan)) {
                return false;
            }
            shared.outlets().apply(scan.kindCode(), scan.outlet()); // later decisions see it at once
            queuedForJournal = true;
            offeredInBatch++;
            lastAccepted = sequence;
            countAccepted(scan, nowNs / 1_000_000L);
        }
        counters.decision(decision.reason);
        decisionFrame.wrapForEncode(reply, 0)
            .sequence(sequence)
            .planVersion(decision.planVersion)
            .ruleId(decision.ruleId)
            .outlet(decision.outlet)
            .reason(decision.reason);
        append(DecisionFlyweight.LENGTH);
        return true;
    }

    /** Metrics of an accepted event: this loop's plain counters, no tags, no atomics. */
    private void countAccepted(ScanFlyweight scan, long nowMs) {
        final int kind = scan.kindCode();
        counters.event(kind);
        sourceEvents++;
        counters.timeliness(scan.deviceTimeMs(), nowMs);
        if (decision.outlet != 0) {
            counters.outlet(decision.outlet);
        }
        if (kind == EventKind.CHUTE_FULL.code()) {
            shared.metrics().chuteFull(scan.outlet());
        }
    }

    /** End of a read batch (or a retry): tell the source's state what went on the queue, wake the writer. */
    private void wakeJournalIfQueued() {
        if (queuedForJournal) {
            queuedForJournal = false;
            source.offered(lastAccepted, offeredInBatch);
            offeredInBatch = 0;
            journal.wake();
        }
    }

    private void writeHeartbeat(long timeMs) {
        heartbeatFrame.wrapForEncode(reply, 0).timeMs(timeMs);
        append(HeartbeatFlyweight.LENGTH);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        wakeJournalIfQueued();
        countTraffic();
        if (ackWanted) {
            ackWanted = false;
            writeAck(true);
        }
        flushOut();
        ctx.fireChannelReadComplete();
    }

    // --- ACK: the journal thread says "durable", the event loop answers -------------------

    /** Journal thread: more of this source is durable. Schedules one ACK task at a time. */
    @Override
    public void onDurable() {
        if (ackScheduled.compareAndSet(false, true)) {
            ctx.executor().execute(ackTask);
        }
    }

    private void sendAck() {
        ackScheduled.set(false);
        if (state == State.OPEN) {
            writeAck(false);
            flushOut();
            countTraffic();
        }
    }

    /** Frames and bytes moved, added to the counters once per batch, not per frame. */
    private void countTraffic() {
        if (sourceEvents > 0) {
            source.events().increment(sourceEvents);
            sourceEvents = 0;
        }
        if (framesIn + framesOut > 0) {
            shared.metrics().traffic(framesIn, bytesIn, framesOut, bytesOut);
            framesIn = 0;
            bytesIn = 0;
            framesOut = 0;
            bytesOut = 0;
        }
    }

    private void writeAck(boolean evenIfUnchanged) {
        final long durable = source.durableSequence();
        if (durable > lastAckSent || (evenIfUnchanged && durable > 0)) {
            ackFrame.wrapForEncode(reply, 0).sourceId(source.sourceId()).sequence(durable);
            append(AckFlyweight.LENGTH);
            lastAckSent = durable;
        }
    }

    @Override
    public CompletionStage<Void> stopReading() {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            stopped = true;
            wakeJournalIfQueued();
            updateAutoRead();
            flushOut();
            done.complete(null);
        });
        return done;
    }

    @Override
    public void close(ErrorCode code, String why) {
        ctx.executor().execute(() -> {
            if (state == State.OPEN) {
                writeAck(false); // what is durable now, so the source deletes no more and no less
            }
            fail(code, why, 0);
        });
    }

    @Override
    public void onReplaced() {
        ctx.executor().execute(() -> fail(ErrorCode.SESSION_REPLACED,
            "source " + source.sourceId() + " opened a newer session; this one is closed", 0));
    }

    // --- outbound: one buffer per batch, one flush per batch ------------------------------

    private void append(int length) {
        if (out == null) {
            out = ctx.alloc().directBuffer(OUT_CHUNK);
        } else if (out.writableBytes() < length) {
            ctx.write(out, ctx.voidPromise());
            out = ctx.alloc().directBuffer(OUT_CHUNK);
        }
        out.writeBytes(reply.byteArray(), 0, length);
        framesOut++;
        bytesOut += length;
    }

    private void flushOut() {
        if (out != null) {
            final ByteBuf buf = out;
            out = null;
            ctx.writeAndFlush(buf, ctx.voidPromise());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The client is not reading its replies: stop reading its events until it does.
        pausedForWrite = !ctx.channel().isWritable();
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    private void updateAutoRead() {
        ctx.channel().config().setAutoRead(!pausedForWrite && !pausedForJournal && !stopped && state != State.CLOSING);
    }

    // --- journal queue full or disk nearly full: stop reading, retry, keep every frame -----

    private void stall(ByteBuf frame) {
        if (stalled == null) {
            stalled = new ArrayDeque<>();
        }
        stalled.addLast(frame);
        if (!pausedForJournal) {
            pausedForJournal = true;
            wakeJournalIfQueued();
            shared.metrics().backPressure();
            updateAutoRead();
            flushOut();
            stallRetryMicros = STALL_RETRY_MIN_MICROS;
            ctx.executor().schedule(retryTask, stallRetryMicros, TimeUnit.MICROSECONDS);
        }
    }

    private void retryStalled() {
        while (!stalled.isEmpty()) {
            final ByteBuf frame = stalled.peekFirst();
            if (!process(frame)) {
                wakeJournalIfQueued();
                flushOut();
                // A short wait for a busy writer; backing off to 100 ms for a full disk.
                stallRetryMicros = Math.min(stallRetryMicros * 2, STALL_RETRY_MAX_MICROS);
                ctx.executor().schedule(retryTask, stallRetryMicros, TimeUnit.MICROSECONDS);
                return;
            }
            stalled.pollFirst().release();
        }
        wakeJournalIfQueued();
        pausedForJournal = false;
        updateAutoRead();
        flushOut();
    }

    // --- errors and close ----------------------------------------------------------------

    /** Send ERROR naming the problem, then close. Events already accepted stay accepted. */
    private void fail(ErrorCode code, String message, long sequence) {
        if (state == State.CLOSING) {
            return;
        }
        state = State.CLOSING;
        shared.metrics().protocolError(code);
        IngestContext.ERRORS.error(code, ctx.channel().remoteAddress(), message);
        flushOut();
        final ErrorFlyweight error = new ErrorFlyweight().wrapForEncode(reply, 0);
        error.code(code).sequence(sequence).message(message);
        final ByteBuf buf = ctx.alloc().buffer(error.frameLength());
        buf.writeBytes(reply.byteArray(), 0, error.frameLength());
        ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        updateAutoRead();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        final Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            final ScanFrameDecoder frames = ctx.pipeline().get(ScanFrameDecoder.class);
            final long declared = frames == null ? -1 : frames.lastDeclaredLength();
            fail(ErrorCode.FRAME_TOO_LARGE, "frame: declared length " + declared
                + " exceeds the maximum frame length " + shared.maxFrameLength(), 0);
        } else if (root instanceof CorruptedFrameException) {
            fail(ErrorCode.MALFORMED_FRAME, "frame length field is shorter than the 8-byte header: "
                + root.getMessage(), 0);
        } else if (root instanceof IOException) {
            ctx.close(); // connection reset and the like: nothing to tell a peer that is gone
        } else {
            fail(ErrorCode.INTERNAL, "internal error: " + root, 0);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSING;
        if (source != null) {
            shared.sources().close(source, this);
        }
        if (out != null) {
            out.release();
            out = null;
        }
        if (stalled != null) {
            stalled.forEach(ByteBuf::release);
            stalled.clear();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        shared.metrics().connectionClosed();
    }

    /** The idle-state handler in front of us saw no frame for the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof io.netty.handler.timeout.IdleStateEvent) {
            if (pausedForJournal || stopped) {
                return; // the hub stopped reading this connection itself: its silence is ours, not the source's
            }
            shared.metrics().limitTripped("idle_timeout");
            fail(ErrorCode.PROTOCOL_VIOLATION, "nothing received for " + shared.limits().idleTimeoutMs()
                + " ms (send HEARTBEATs when idle)", 0);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
