package io.sorthub.gateway.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.kit.cli.HostPort;
import io.sorthub.kit.log.ErrorLine;
import io.sorthub.kit.net.LengthPrefixedFrameDecoder;
import io.sorthub.kit.net.NettySocket;
import io.sorthub.kit.retry.Backoff;
import io.sorthub.protocol.ErrorFlyweight;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.HeartbeatFlyweight;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.MessageType;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * The gateway's connection to hub-service: HELLO, then the spool streamed from the resume
 * point WELCOME gives, DECISIONs and ACKs back. Reconnects with back-off when the hub goes
 * away; the spool keeps everything meanwhile. With several hubs (a hub pair) it moves to
 * the active when one is refused, lost, or silent for {@code hubSilenceMs} (a frozen or
 * cut-off hub sends no RST): HEARTBEATs every {@code hubHeartbeatMs} make a live hub answer.
 * Runs on the gateway's event loop.
 */
public final class HubLink {
    private static final Logger LOG = LoggerFactory.getLogger(HubLink.class);
    private static final long MAX_BACKOFF_MS = 5_000;
    /** With a hub pair, a round of the instances at least this often: a takeover takes about a second. */
    private static final long MAX_PAIR_BACKOFF_MS = 500;

    /** The session's stream: the spool forwarder. */
    public interface Listener {
        void onWelcome(long resumeSequence);

        void onAck(long sequence);

        void onDisconnected();

        /** The link can take more frames (connected, writable): push from the spool. */
        void onWritable();
    }

    /** The hub's answers for the sorter side. */
    public interface Decisions {
        void onDecision(long sequence, int outlet);

        /** The end of one read of replies: flush the answers written. */
        void onBatchEnd();
    }

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Listener listener;
    private final Decisions decisions;
    private final EpochClock clock;
    private final NetClient client;
    private final HubAddresses hubs;
    private long lastFrameAtMs;
    private int attemptsSinceWelcome;
    private long switches;
    private final FrameDecoder decoder = new FrameDecoder();
    private final UnsafeBuffer in = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private Channel channel;
    /** The current connection's replies, so that a close of the link's own can say why. */
    private Replies replies;
    private boolean streaming;
    private final Backoff backoff;
    private boolean stopped;
    private boolean loggedDown;
    private long restartInMs = -1;
    private final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[HeartbeatFlyweight.LENGTH]);
    private final HeartbeatFlyweight heartbeatFrame = new HeartbeatFlyweight();
    private final byte[] credentialKey;
    /** The last unexpected error logged: one that recurs on every session is logged once, not once a reconnect. */
    private String lastDefect;

    public HubLink(Vertx vertx, GatewayConfig config, EpochClock clock, Listener listener, Decisions decisions) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.decisions = decisions;
        this.credentialKey = io.sorthub.protocol.ChallengeResponse.key(config.credential);
        final NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000)
            .setSendBufferSize(256 * 1024).setReceiveBufferSize(256 * 1024);
        if (config.hubTrustFile != null) {
            // Verify the hub: its certificate must chain to the trust file and name the host we dial.
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(config.hubTrustFile));
        }
        this.client = vertx.createNetClient(options);
        this.hubs = new HubAddresses(config.hubAddresses().stream().map(HostPort::parse)
            .map(a -> new HubAddresses.Address(a.host(), a.port())).toList());
        // Jitter: the gateways of a hub all lose it at once; they should not all come back at once.
        this.backoff = Backoff.withRandomJitter(100, hubs.size() > 1 ? MAX_PAIR_BACKOFF_MS : MAX_BACKOFF_MS);
    }

    public void connect() {
        if (stopped) {
            return;
        }
        final HubAddresses.Address hub = hubs.current();
        client.connect(hub.port(), hub.host()).onSuccess(socket -> {
            final LengthPrefixedFrameDecoder frames = new LengthPrefixedFrameDecoder(Frame.MAX_FRAME_LENGTH);
            replies = new Replies(frames);
            channel = NettySocket.of(socket)
                .addInFront("hub-frames", frames)
                .addInFront("hub-replies", replies)
                .channel();
            lastFrameAtMs = clock.time();
            // Protocol version 2; a credential is proved by challenge and response, never sent.
            final UnsafeBuffer hello = new UnsafeBuffer(new byte[HelloFlyweight.FIXED_LENGTH + 2 + 32 + 64]);
            final HelloFlyweight frame = new HelloFlyweight().wrapForEncode(hello, 0).sourceId(config.sourceId)
                .strings(config.name.length() > 32 ? config.name.substring(0, 32) : config.name, "")
                .flags(config.credential.isEmpty() ? 0 : HelloFlyweight.FLAG_CHALLENGE);
            final int length = frame.frameLength();
            channel.writeAndFlush(channel.alloc().buffer(length).writeBytes(hello.byteArray(), 0, length));
        }).onFailure(e -> {
            final String tls = io.sorthub.kit.net.TlsFailure.describe(e, "hubTrustFile " + config.hubTrustFile);
            scheduleReconnect(tls != null ? "TLS with hub " + hub + " failed: " + tls
                : "cannot connect to hub " + hub + ": " + e.getMessage());
        });
    }

    /** Close the session and open a new one after {@code delayMs}, without a warning: to ask the hub again. */
    public void restartIn(long delayMs) {
        restartInMs = delayMs;
        if (channel != null) {
            channel.close();
        }
    }

    private void scheduleReconnect(String why) {
        if (restartInMs >= 0) {
            final long delay = restartInMs;
            restartInMs = -1;
            if (!stopped) {
                vertx.setTimer(delay, id -> connect());
            }
            return;
        }
        if (stopped) {
            return; // the gateway closed the link itself: nothing was lost
        }
        if (!loggedDown) {
            LOG.warn("{}; retrying with back-off, reads are spooled meanwhile", why);
            loggedDown = true;
        }
        if (hubs.size() > 1) {
            hubs.next();
            switches++;
            // The other instances at once for a few rounds (a takeover takes about a second),
            // then with back-off, so a pair without an active is not hammered.
            if (++attemptsSinceWelcome <= 3 * hubs.size()) {
                vertx.setTimer(20, id -> connect());
            } else {
                vertx.setTimer(backoff.nextDelayMs(), id -> connect());
            }
            return;
        }
        vertx.setTimer(backoff.nextDelayMs(), id -> connect());
    }

    /** True when frames may be written now. */
    public boolean writable() {
        return streaming && channel != null && channel.isWritable();
    }

    /**
     * Queue a SCAN from the spool (flushed by {@link #flush}). The spool keeps version 1 frames;
     * the session speaks version 2, whose SCAN ends with the parcel id: an empty one is added.
     */
    public void write(UnsafeBuffer frame, int length) {
        final boolean v1 = frame.getByte(Frame.VERSION_OFFSET) == Frame.PROTOCOL_VERSION;
        final ByteBuf buf = channel.alloc().directBuffer(length + 1);
        buf.writeBytes(frame.byteArray(), 0, length);
        if (v1) {
            buf.setIntLE(Frame.LENGTH_OFFSET, length + 1);
            buf.setByte(Frame.VERSION_OFFSET, Frame.PROTOCOL_VERSION_2);
            buf.writeByte(0); // parcel id: none
        }
        channel.write(buf, channel.voidPromise());
    }

    /** The hub's CHALLENGE: answer with the HMAC of its nonce under the credential's key. */
    private void answer(io.sorthub.protocol.DigestFlyweight challenge) {
        final byte[] nonce = new byte[io.sorthub.protocol.DigestFlyweight.DIGEST_LENGTH];
        challenge.readDigest(nonce);
        final UnsafeBuffer auth = new UnsafeBuffer(new byte[io.sorthub.protocol.DigestFlyweight.LENGTH]);
        new io.sorthub.protocol.DigestFlyweight(MessageType.AUTH).wrapForEncode(auth, 0)
            .digest(io.sorthub.protocol.ChallengeResponse.response(credentialKey, nonce, config.sourceId));
        channel.writeAndFlush(channel.alloc().buffer(auth.capacity()).writeBytes(auth.byteArray()));
    }

    public void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    public boolean connected() {
        return streaming;
    }

    /** The hub this link talks to (or tries next). */
    public String hub() {
        return hubs.current().toString();
    }

    /** Times the link moved to another hub of the list. */
    public long switches() {
        return switches;
    }

    /**
     * Liveness both ways: a HEARTBEAT keeps the hub's idle timeout away and a live hub answers
     * it; a hub that sent nothing for {@code hubSilenceMs} is taken for lost (frozen, cut off)
     * and the link moves on.
     */
    public void heartbeat() {
        final long silentMs = clock.time() - lastFrameAtMs;
        if (channel != null && channel.isActive() && config.hubSilenceMs > 0 && silentMs > config.hubSilenceMs) {
            LOG.warn("hub {} sent nothing for {} ms; taking it for lost{}", hubs.current(), silentMs,
                hubs.size() > 1 ? " and trying the next instance of the pair" : "");
            replies.lostBecauseIfFirst("it sent nothing for " + silentMs + " ms");
            channel.close();
            return;
        }
        if (streaming && channel != null) {
            heartbeatFrame.wrapForEncode(heartbeat, 0).timeMs(clock.time()).version(Frame.PROTOCOL_VERSION_2);
            channel.writeAndFlush(channel.alloc().buffer(heartbeat.capacity()).writeBytes(heartbeat.byteArray()));
        }
    }

    public void stop() {
        stopped = true;
        if (channel != null) {
            channel.close();
        }
        client.close();
    }

    /** One connection's replies: a new one for every connection, so nothing of one is said of the next. */
    private final class Replies extends ChannelInboundHandlerAdapter {
        private final LengthPrefixedFrameDecoder frames;
        /** Why this connection is going down (its first error, or the link's own close), said by the reconnect's warning; null when the hub closed it. */
        private String lostBecause;
        private boolean defect;

        Replies(LengthPrefixedFrameDecoder frames) {
            this.frames = frames;
        }

        /** The first reason a connection goes down is the one said; what follows from it is not. */
        void lostBecauseIfFirst(String why) {
            if (lostBecause == null) {
                lostBecause = why;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            final ByteBuf frame = (ByteBuf) msg;
            lastFrameAtMs = clock.time();
            try {
                final int length = frame.readableBytes();
                frame.getBytes(frame.readerIndex(), in.byteArray(), 0, length);
                final int type = decoder.decode(in, 0, length);
                switch (type) {
                    case MessageType.WELCOME -> {
                        streaming = true;
                        backoff.reset();
                        attemptsSinceWelcome = 0;
                        if (loggedDown) {
                            LOG.info("connected to hub {} again; its resume point is sequence {}", hubs.current(),
                                decoder.welcome().resumeSequence());
                            loggedDown = false;
                        }
                        listener.onWelcome(decoder.welcome().resumeSequence());
                    }
                    case MessageType.DECISION -> decisions.onDecision(decoder.decision().sequence(), decoder.decision().outlet());
                    case MessageType.ACK -> listener.onAck(decoder.ack().sequence());
                    case MessageType.ERROR -> {
                        final ErrorFlyweight error = decoder.errorFrame();
                        final String message = error.message();
                        hubs.refused(message);
                        lostBecauseIfFirst("it refused the session: " + error.code() + " " + message);
                        if (hubs.size() > 1 && error.code() == io.sorthub.protocol.ErrorCode.UNAVAILABLE) {
                            LOG.info("hub {} is not taking sessions: {}", hubs.current(), message);
                        } else {
                            LOG.error("hub {} refused the session: {} {}", hubs.current(), error.code(), message);
                        }
                    }
                    case MessageType.HEARTBEAT -> { }
                    case MessageType.CHALLENGE -> answer(decoder.challenge());
                    default -> LOG.warn("hub sent a bad frame: {}", decoder.error().message());
                }
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            decisions.onBatchEnd();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                listener.onWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            streaming = false;
            channel = null;
            listener.onDisconnected();
            if (!defect) {
                lastDefect = null; // a session ended without one: the next is news again
            }
            scheduleReconnect("lost the connection to hub " + hubs.current() + ": "
                + (lostBecause == null ? "the hub closed it" : lostBecause));
            ctx.fireChannelInactive();
        }

        /**
         * The link goes down and comes back with back-off either way (the spool keeps the reads),
         * but never silently: the first error of a connection says why in the reconnect's warning
         * (the writes still queued then fail on the closed channel: they are not the reason).
         * Errors of the network or of what the other side sent are said as such; anything else is
         * the gateway's own, logged at ERROR with where it was thrown (the trace at debug).
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            final Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (lostBecause == null && !(root instanceof ClosedChannelException)) {
                lostBecause = reason(root); // checked first: reason() logs an error of our own
            }
            ctx.close();
        }

        private String reason(Throwable root) {
            if (root instanceof TooLongFrameException) {
                return "it sent a frame declaring " + frames.lastDeclaredLength() + " bytes, over the protocol's "
                    + Frame.MAX_FRAME_LENGTH + " (is hubPort the hub's scan port?)";
            }
            if (root instanceof CorruptedFrameException) {
                return "it sent a malformed frame (is hubPort the hub's scan port?): " + root.getMessage();
            }
            for (Throwable t = root; t != null; t = t.getCause()) {
                if (t instanceof IOException) { // a reset, a TLS failure: the network's, not ours
                    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
                }
            }
            defect = true;
            final String error = ErrorLine.of(root);
            if (!error.equals(lastDefect)) {
                lastDefect = error;
                LOG.error("hub {}: connection closed on an unexpected error: {}", hubs.current(), error);
                LOG.debug("hub {}: the error's trace", hubs.current(), root);
            }
            return "closed on an error of the gateway's own (" + root.getClass().getSimpleName() + ", logged at ERROR)";
        }
    }
}
