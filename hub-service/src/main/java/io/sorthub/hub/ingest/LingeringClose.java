package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * Closing a connection after its last reply (ACK, ERROR) without losing that reply, on the
 * connection's event loop.
 *
 * <p>A socket closed while bytes the peer sent are still unread makes the kernel answer with
 * RST instead of FIN, and the peer's kernel may then drop what it received but had not yet
 * read: a source streaming at full speed would never see its final ACK or the ERROR saying
 * why. So, as web servers do ("lingering close"): from the moment the reply is decided the
 * connection's input is read and discarded (nothing after the ERROR is accepted); once the
 * reply is written, the output is shut down (FIN after the reply, close_notify first under
 * TLS); the connection closes when the peer closes its side, or after {@link #LINGER_MS}.
 */
final class LingeringClose {
    /** How long a peer that got its FIN may keep its side open before the hub closes it anyway. */
    static final long LINGER_MS = 2_000;

    private LingeringClose() {
    }

    /** Discard input from now on; when {@code lastReply} is written, shut output and linger. */
    static void after(Channel channel, ChannelFuture lastReply) {
        if (!(channel instanceof DuplexChannel duplex)) {
            lastReply.addListener(f -> channel.close()); // in-memory channels in tests: nothing to drain
            return;
        }
        if (channel.pipeline().get(Discard.class) == null) {
            channel.pipeline().addFirst(new Discard());
        }
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        lastReply.addListener(written -> {
            if (!written.isSuccess()) {
                channel.close();
                return;
            }
            final SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls != null) {
                tls.closeOutbound().addListener(f -> shutdownOutput(duplex));
            } else {
                shutdownOutput(duplex);
            }
        });
    }

    private static void shutdownOutput(DuplexChannel channel) {
        if (channel.isActive()) {
            channel.shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                }
            });
        }
    }

    /** First in the pipeline once closing: everything the peer still sends is dropped unread. */
    static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // nothing reaches the handlers behind: they are done with this connection
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ctx.close(); // the peer closed its side after reading ours: done
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset while lingering: nothing more to say to this peer
        }
    }
}
