package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.sorthub.hub.metrics.LoopMetrics;
import io.sorthub.hub.source.SourceSession;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.MessageType;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One source's session after HELLO, on its event loop: each SCAN goes to the
 * {@link ScanAcceptor}, its DECISION to the {@link ReplyBatcher} at once; ACKs follow when
 * the journal writer says the events are durable (through the loop's {@link AckScheduler}).
 *
 * <p>Flow control, not unbounded memory: when the acceptor holds a SCAN back (journal queue
 * full, too many events in flight, journal disk nearly full) the session keeps that one frame,
 * stops reading, keeps the frames of the socket chunk in hand behind it, and lets Netty's
 * {@code FlowControlHandler} in front of the decoder keep the chunks already read. The writer's next signal (or, for a full disk, a slow timer) retries the
 * held frame; once taken, reading resumes and the queued frames follow in order. A client that
 * does not read its replies stops its own reads the same way.
 */
final class ScanSession extends ChannelInboundHandlerAdapter implements SourceSession {
    /** A full journal disk clears slowly: no need to retry more often than this. */
    static final long DISK_RETRY_MS = 100;
    /** Read batches timed until their ACK, at most (more, and later ones go untimed). */
    static final int PENDING_BATCHES = 256;

    private final IngestContext shared;
    private final InboundFrame frame;
    private final ReplyBatcher replies;
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Runnable retryTask = this::retryHeld;
    private ChannelHandlerContext ctx;
    private AckScheduler acks;
    private SourceState source;
    private ScanAcceptor acceptor;
    private ByteBuf held;
    /** Frames delivered while one is held: the rest of the socket chunk the held one came in. */
    private java.util.ArrayDeque<ByteBuf> behind;
    private ScanAcceptor.Verdict holdCause;
    private boolean stopped;
    private boolean pausedForWrite;
    private boolean ackWanted;
    private long lastAckSent;
    private int latencySample;
    /** When the read batch in hand began (0: none), and whether it produced a DECISION. */
    private long batchReadNs;
    private boolean batchDecided;
    /** When the held frame's batch was read: its wait is the hub's time too. */
    private long heldReadNs;
    /** Read batches waiting for their ACK: the last sequence each accepted, and when it was read. */
    private final long[] pendingSequence = new long[PENDING_BATCHES];
    private final long[] pendingReadNs = new long[PENDING_BATCHES];
    private int pendingHead;
    private int pendingTail;

    ScanSession(IngestContext shared, InboundFrame frame, ReplyBatcher replies) {
        this.shared = shared;
        this.frame = frame;
        this.replies = replies;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.acks = shared.signals().forLoop(ctx.executor()); // before any signal can come
    }

    /** The WELCOME told the source that everything up to {@code resume} is durable. */
    void welcomedAt(long resume) {
        lastAckSent = resume;
    }

    /** The gate accepted the HELLO: this session now speaks for {@code source}. */
    void open(SourceState source, LoopMetrics counters) {
        this.source = source;
        this.acceptor = new ScanAcceptor(shared, source, counters);
    }

    // --- inbound ------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        final ByteBuf buf = (ByteBuf) msg;
        if (batchReadNs == 0) {
            batchReadNs = shared.clock().nanoTime();
        }
        if (held != null) {
            if (behind == null) {
                behind = new java.util.ArrayDeque<>(4);
            }
            behind.addLast(buf); // order is kept behind the held frame
            return;
        }
        try {
            if (!process(buf)) {
                hold(buf.retain());
            }
        } finally {
            buf.release();
        }
    }

    /** @return false when the frame must be held (see {@link #holdCause}) */
    private boolean process(ByteBuf buf) {
        if (replies.closing() || stopped || source == null) {
            return true; // not accepted, not acknowledged: the source resends it to whoever runs next
        }
        replies.received(buf.readableBytes());
        final int type = frame.decode(buf);
        if (type < 0) {
            fail(frame.decoder.error().code(), frame.decoder.error().message(), frame.decoder.error().sequence());
            return true;
        }
        if (frame.version() != replies.version()) {
            fail(ErrorCode.PROTOCOL_VIOLATION, "frame of protocol version " + frame.version() + " in a version "
                + replies.version() + " session (a session speaks its HELLO's version)", 0);
            return true;
        }
        switch (type) {
            case MessageType.SCAN:
                return onScan();
            case MessageType.HEARTBEAT:
                replies.heartbeat(frame.decoder.heartbeat().timeMs());
                return true;
            case MessageType.HELLO:
                fail(ErrorCode.PROTOCOL_VIOLATION, "second HELLO on an open session", 0);
                return true;
            default:
                fail(ErrorCode.PROTOCOL_VIOLATION, MessageType.name(type) + " is sent by the hub, not to it", 0);
                return true;
        }
    }

    private boolean onScan() {
        // Latency of 1 SCAN in 16: the histogram's shape, at a sixteenth of the clock reads.
        final boolean sample = (++latencySample & 15) == 0;
        final long start = sample ? shared.clock().nanoTime() : 0;
        final long sequence = frame.decoder.scan().sequence();
        final ScanAcceptor.Verdict verdict = acceptor.accept(frame.decoder.scan());
        switch (verdict) {
            case ACCEPTED -> {
                replies.decision(sequence, acceptor.decision());
                batchDecided = true;
            }
            case DUPLICATE -> {
                replies.decision(sequence, acceptor.decision());
                ackWanted = true;
            }
            case GAP_TOO_WIDE -> {
                shared.metrics().limitTripped("max_sequence_gap");
                fail(ErrorCode.INVALID_FIELD, acceptor.gapMessage(sequence), sequence);
                return true;
            }
            default -> {
                holdCause = verdict;
                return false;
            }
        }
        if (sample) {
            shared.metrics().decisionLatency(shared.clock().nanoTime() - start);
        }
        return true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endOfBatch();
        ctx.fireChannelReadComplete();
    }

    private void endOfBatch() {
        if (acceptor != null) {
            acceptor.endOfBatch();
        }
        if (ackWanted) {
            ackWanted = false;
            writeAck(true);
        } else if (source != null && !replies.closing()) {
            // What became durable since the last ACK rides with this batch's DECISIONs: one write,
            // and the writer's signal, when the loop gets to it, finds nothing left to send.
            writeAck(false);
        }
        replies.flush();
        if (batchDecided) {
            timeBatch();
        }
        batchReadNs = 0;
    }

    /** The batch's DECISIONs are written: time them, and keep the batch to time its ACK. */
    private void timeBatch() {
        batchDecided = false;
        if (batchReadNs == 0) {
            return; // decided outside a read (cannot happen but by a held frame, which keeps its read time)
        }
        final long now = shared.clock().nanoTime();
        shared.metrics().replies().decision(now - batchReadNs);
        if (pendingTail - pendingHead < PENDING_BATCHES) {
            final int slot = pendingTail++ & (PENDING_BATCHES - 1);
            pendingSequence[slot] = acceptor.lastAccepted();
            pendingReadNs[slot] = batchReadNs;
        }
    }

    /** An ACK up to {@code sequence} is written: time the batches it covers. */
    private void timeAck(long sequence) {
        if (pendingHead == pendingTail) {
            return;
        }
        final long now = shared.clock().nanoTime();
        while (pendingHead != pendingTail) {
            final int slot = pendingHead & (PENDING_BATCHES - 1);
            if (pendingSequence[slot] > sequence) {
                return;
            }
            shared.metrics().replies().ack(now - pendingReadNs[slot]);
            pendingHead++;
        }
    }

    // --- holding a frame back -------------------------------------------------------------

    private void hold(ByteBuf buf) {
        held = buf;
        heldReadNs = batchReadNs;
        shared.metrics().held(holdCause.name());
        if (holdCause == ScanAcceptor.Verdict.HOLD_IN_FLIGHT) {
            shared.metrics().limitTripped("max_in_flight");
        }
        updateAutoRead(); // the FlowControlHandler in front of the decoder keeps what is already read
        endOfBatch();
        switch (holdCause) {
            case HOLD_QUEUE -> shared.signals().roomWaiters().await(this);
            case HOLD_DISK -> retryLater();
            default -> { } // HOLD_IN_FLIGHT: the source's next durable signal retries
        }
    }

    /** Retry the held frame after a while (full disk), on this loop. */
    void retryLater() {
        ctx.executor().schedule(retryTask, DISK_RETRY_MS, TimeUnit.MILLISECONDS);
    }

    /** Journal thread: the writer drained a batch; retry on this loop. */
    void roomInJournal() {
        acks.signal(this, signalled);
    }

    private void retryHeld() {
        if (held == null) {
            return;
        }
        if (batchReadNs == 0) {
            batchReadNs = heldReadNs;
        }
        if (!process(held)) {
            if (holdCause == ScanAcceptor.Verdict.HOLD_QUEUE) {
                shared.signals().roomWaiters().await(this);
            } else if (holdCause == ScanAcceptor.Verdict.HOLD_DISK) {
                retryLater();
            }
            endOfBatch();
            return;
        }
        held.release();
        held = null;
        holdCause = null;
        while (behind != null && !behind.isEmpty()) {
            final ByteBuf next = behind.pollFirst();
            try {
                if (!process(next)) {
                    hold(next.retain());
                    return;
                }
            } finally {
                next.release();
            }
        }
        endOfBatch();
        updateAutoRead(); // reading again: the FlowControlHandler hands over the chunks it kept
    }

    // --- ACK: the journal thread says "durable", the event loop answers -------------------

    /** Journal thread: more of this source is durable. */
    @Override
    public void onDurable() {
        acks.signal(this, signalled);
    }

    /** The event loop, through the {@link AckScheduler}: send the ACK, retry what is held. */
    void onSignal() {
        signalled.set(false);
        if (replies.closing()) {
            return;
        }
        writeAck(false);
        if (held != null) {
            retryHeld(); // flushes
        } else {
            replies.flush();
        }
    }

    private void writeAck(boolean evenIfUnchanged) {
        final long durable = source.durableSequence();
        if (durable > lastAckSent || (evenIfUnchanged && durable > 0)) {
            replies.ack(source.sourceId(), durable);
            lastAckSent = durable;
            timeAck(durable);
        }
    }

    // --- other threads: replace, stop, close ----------------------------------------------

    @Override
    public void onReplaced() {
        ctx.executor().execute(() -> fail(ErrorCode.SESSION_REPLACED,
            "source " + source.sourceId() + " opened a newer session; this one is closed", 0));
    }

    @Override
    public CompletionStage<Void> stopReading() {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            stopped = true;
            endOfBatch();
            updateAutoRead();
            done.complete(null);
        });
        return done;
    }

    @Override
    public void close(ErrorCode code, String why) {
        ctx.executor().execute(() -> {
            if (source != null && !replies.closing()) {
                // What is durable now, even if said before: the last word before the ERROR is
                // always where to resume, so the source deletes no more and no less.
                writeAck(true);
            }
            fail(code, why, 0);
        });
    }

    // --- outbound pressure, errors, close ---------------------------------------------------

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The client is not reading its replies: stop reading its events until it does.
        pausedForWrite = !ctx.channel().isWritable();
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    private void updateAutoRead() {
        if (replies.closing()) {
            return; // the lingering close reads and discards until the peer has heard us
        }
        ctx.channel().config().setAutoRead(!pausedForWrite && held == null && !stopped);
    }

    /** Send ERROR naming the problem, then close. Events already accepted stay accepted. */
    private void fail(ErrorCode code, String message, long sequence) {
        if (acceptor != null) {
            acceptor.endOfBatch(); // what this batch queued is accounted for before the close
        }
        if (replies.error(code, message, sequence)) {
            shared.errors().error(code, ctx.channel().remoteAddress(), message);
            updateAutoRead();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        final ScanFrameDecoder frames = ctx.pipeline().get(ScanFrameDecoder.class);
        final ErrorMapper.Mapped mapped = ErrorMapper.map(cause, frames == null ? -1 : frames.lastDeclaredLength(),
            shared.maxFrameLength());
        if (mapped.code() == null) {
            ctx.close();
        } else {
            fail(mapped.code(), mapped.message(), 0);
        }
    }

    /** The idle-state handler in front saw no frame for the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (held != null || stopped || source == null) {
                return; // the hub stopped reading this connection itself (or the gate times HELLO): not the source's silence
            }
            shared.metrics().limitTripped("idle_timeout");
            fail(ErrorCode.PROTOCOL_VIOLATION, "nothing received for " + shared.limits().idleTimeoutMs()
                + " ms (send HEARTBEATs when idle)", 0);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (source != null) {
            acceptor.endOfBatch();
            shared.sources().close(source, this);
        }
        replies.release();
        if (held != null) {
            held.release();
            held = null;
        }
        while (behind != null && !behind.isEmpty()) {
            behind.pollFirst().release();
        }
        ctx.fireChannelInactive();
    }
}
