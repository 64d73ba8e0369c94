package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;

import java.util.concurrent.TimeUnit;

/**
 * A connection until its HELLO, on its event loop: the connection cap, the HELLO timeout,
 * device authentication, whether the hub takes sessions at all now, and WELCOME. On a good
 * HELLO it hands the source to the {@link ScanSession} behind it and removes itself from the
 * pipeline: the per-event path never passes through it.
 */
final class SessionGate extends ChannelInboundHandlerAdapter {
    private final IngestContext shared;
    private final InboundFrame frame;
    private final ReplyBatcher replies;
    private final ScanSession session;
    private ScheduledFuture<?> helloTimeout;

    SessionGate(IngestContext shared, InboundFrame frame, ReplyBatcher replies, ScanSession session) {
        this.shared = shared;
        this.frame = frame;
        this.replies = replies;
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        final IngestContext.Limits limits = shared.limits();
        final int open = shared.metrics().connectionOpened();
        ctx.channel().closeFuture().addListener(f -> shared.metrics().connectionClosed());
        if (open > limits.maxConnections()) {
            shared.metrics().limitTripped("max_connections");
            refuse(ctx, ErrorCode.UNAVAILABLE, "too many connections: the hub takes " + limits.maxConnections() + " at most");
            return;
        }
        // No HELLO in time: a half-open or hostile connection must not hold a slot.
        helloTimeout = ctx.executor().schedule(() -> {
            shared.metrics().limitTripped("hello_timeout");
            refuse(ctx, ErrorCode.PROTOCOL_VIOLATION, "no HELLO within " + limits.helloTimeoutMs() + " ms");
        }, limits.helloTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        final ByteBuf buf = (ByteBuf) msg;
        try {
            if (replies.closing()) {
                return;
            }
            replies.received(buf.readableBytes());
            final int type = frame.decode(buf);
            if (type < 0) {
                refuse(ctx, frame.decoder.error().code(), frame.decoder.error().message());
            } else if (type != MessageType.HELLO) {
                refuse(ctx, ErrorCode.PROTOCOL_VIOLATION, MessageType.name(type)
                    + " before HELLO: a session must start with HELLO");
            } else {
                onHello(ctx, frame.decoder.hello());
            }
        } finally {
            buf.release();
        }
    }

    private void onHello(ChannelHandlerContext ctx, HelloFlyweight hello) {
        final String host = ErrorLog.host(ctx.channel().remoteAddress());
        if (!shared.hellos().allow(host)) {
            shared.metrics().limitTripped("hello_rate");
            refuse(ctx, ErrorCode.UNAVAILABLE, "too many HELLOs from " + host + ": at most "
                + shared.hellos().perSecond() + " a second; reconnect later");
            return;
        }
        if (shared.devices() != null && !shared.devices().allows(hello.sourceId(), hello.credential())) {
            // Nothing from this connection is journaled: it never gets past HELLO.
            refuse(ctx, ErrorCode.AUTHENTICATION_FAILED, "source " + hello.sourceId()
                + " is not in the hub's devices file, or its credential is wrong");
            return;
        }
        final String unavailable = shared.unavailable().get();
        if (unavailable != null) {
            refuse(ctx, ErrorCode.UNAVAILABLE, unavailable);
            return;
        }
        if (shared.sources().get(hello.sourceId()).resetting()) {
            refuse(ctx, ErrorCode.UNAVAILABLE, "source " + hello.sourceId() + " is being reset by an operator; "
                + "reconnect in a moment");
            return;
        }
        helloTimeout.cancel(false);
        final SourceState source = shared.sources().open(hello.sourceId(), session);
        session.open(source, shared.metrics().loop()); // the loop's counters, looked up once
        final SortPlan plan = shared.plans().current();
        replies.welcome(hello.sourceId(), shared.heartbeatIntervalMs(),
            source.durableSequence(), // only what is durable: a source may delete up to it
            shared.clock().nanoTime() / 1_000_000L, plan.version(), shared.maxFrameLength());
        replies.flush();
        ctx.pipeline().remove(this); // from here on the session reads the frames
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (replies.error(code, message, 0)) {
            IngestContext.ERRORS.error(code, ctx.channel().remoteAddress(), message);
        }
    }
}
