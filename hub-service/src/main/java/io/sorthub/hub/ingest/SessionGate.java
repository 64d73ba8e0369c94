package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.ChallengeResponse;
import io.sorthub.protocol.DigestFlyweight;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;

import java.util.concurrent.TimeUnit;

/**
 * A connection until its HELLO, on its event loop: the connection cap, the HELLO timeout,
 * device authentication (the secret in HELLO, or, in protocol version 2, CHALLENGE and AUTH),
 * whether the hub takes sessions at all now, and WELCOME. On a good
 * HELLO it hands the source to the {@link ScanSession} behind it and removes itself from the
 * pipeline: the per-event path never passes through it.
 */
final class SessionGate extends ChannelInboundHandlerAdapter {
    private final IngestContext shared;
    private final InboundFrame frame;
    private final ReplyBatcher replies;
    private final ScanSession session;
    private ScheduledFuture<?> helloTimeout;
    /** Between CHALLENGE and AUTH: the nonce sent and the source that must answer it. */
    private byte[] nonce;
    private int challenged;

    SessionGate(IngestContext shared, InboundFrame frame, ReplyBatcher replies, ScanSession session) {
        this.shared = shared;
        this.frame = frame;
        this.replies = replies;
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        final IngestContext.Limits limits = shared.limits();
        final int open = shared.connections().opened();
        ctx.channel().closeFuture().addListener(f -> shared.connections().closed());
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
            } else if (nonce != null) {
                if (type != MessageType.AUTH || frame.version() != replies.version()) {
                    refuse(ctx, ErrorCode.PROTOCOL_VIOLATION, MessageType.name(type) + " after CHALLENGE: AUTH expected");
                } else {
                    onAuth(ctx);
                }
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
        replies.version(frame.version()); // the session speaks its HELLO's version, refusals included
        final String host = ErrorLog.host(ctx.channel().remoteAddress());
        if (!shared.hellos().allow(host)) {
            shared.metrics().limitTripped("hello_rate");
            refuse(ctx, ErrorCode.UNAVAILABLE, "too many HELLOs from " + host + ": at most "
                + shared.hellos().perSecond() + " a second; reconnect later");
            return;
        }
        if ((hello.flags() & HelloFlyweight.FLAG_CHALLENGE) != 0) {
            // The secret stays with the source: it proves it holds it by answering a fresh nonce.
            nonce = ChallengeResponse.nonce();
            challenged = hello.sourceId();
            replies.challenge(nonce);
            replies.flush();
            return;
        }
        if (shared.devices() != null && shared.devices().requiresChallenge()) {
            refuse(ctx, ErrorCode.AUTHENTICATION_FAILED, "source " + hello.sourceId() + ": this hub takes no secret "
                + "in HELLO; answer its challenge (protocol version 2, HELLO flag CHALLENGE)");
            return;
        }
        if (shared.devices() != null && !shared.devices().allows(hello.sourceId(), hello.credential())) {
            // Nothing from this connection is journaled: it never gets past HELLO.
            refuse(ctx, ErrorCode.AUTHENTICATION_FAILED, "source " + hello.sourceId()
                + " is not in the hub's devices file, or its credential is wrong");
            return;
        }
        admit(ctx, hello.sourceId());
    }

    private void onAuth(ChannelHandlerContext ctx) {
        final byte[] response = new byte[DigestFlyweight.DIGEST_LENGTH];
        frame.decoder.auth().readDigest(response);
        final int sourceId = challenged;
        final byte[] sent = nonce;
        nonce = null;
        if (shared.devices() != null && !shared.devices().allowsResponse(sourceId, sent, response)) {
            refuse(ctx, ErrorCode.AUTHENTICATION_FAILED, "source " + sourceId
                + " is not in the hub's devices file, or its answer to the challenge is wrong");
            return;
        }
        admit(ctx, sourceId);
    }

    /** Authenticated (or no devices file): whether the hub takes the session now, then WELCOME. */
    private void admit(ChannelHandlerContext ctx, int sourceId) {
        final String unavailable = shared.unavailable().get();
        if (unavailable != null) {
            refuse(ctx, ErrorCode.UNAVAILABLE, unavailable);
            return;
        }
        if (shared.sources().get(sourceId).resetting()) {
            refuse(ctx, ErrorCode.UNAVAILABLE, "source " + sourceId + " is being reset by an operator; "
                + "reconnect in a moment");
            return;
        }
        helloTimeout.cancel(false);
        final SourceState source = shared.sources().open(sourceId, session);
        session.open(source, shared.metrics().loop()); // the loop's counters, looked up once
        final SortPlan plan = shared.plans().current();
        final long resume = source.durableSequence(); // only what is durable: a source may delete up to it
        session.welcomedAt(resume); // the WELCOME says it: no ACK repeats it
        replies.welcome(sourceId, shared.heartbeatIntervalMs(),
            resume,
            shared.clock().nanoTime() / 1_000_000L, plan.version(), shared.maxFrameLength());
        replies.flush();
        ctx.pipeline().remove(this); // from here on the session reads the frames
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (replies.error(code, message, 0)) {
            shared.errors().error(code, ctx.channel().remoteAddress(), message);
        }
    }
}
