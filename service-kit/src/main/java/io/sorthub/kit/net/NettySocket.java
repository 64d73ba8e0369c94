package io.sorthub.kit.net;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The Netty pipeline under a Vert.x TCP socket, where a codec goes in front of Vert.x's own
 * handler (the way Vert.x's database clients plug in theirs). The one place that reaches into
 * Vert.x's internal socket type. Use it on the socket's event loop, as it is handed over
 * (a connect handler, a connect future), before any byte is read.
 */
public final class NettySocket {
    private final ChannelHandlerContext vertxHandler;

    private NettySocket(ChannelHandlerContext vertxHandler) {
        this.vertxHandler = vertxHandler;
    }

    /** The socket's pipeline, its channel switched to the pooled allocator. */
    public static NettySocket of(NetSocket socket) {
        final ChannelHandlerContext vertxHandler = ((NetSocketInternal) socket).channelHandlerContext();
        // Netty 4.2's default adaptive allocator created a buffer object, a slice and a direct
        // ByteBuffer per read and per reply in our profile (~500 B per event at 10 k/s). The
        // pooled allocator recycles all of them: the hot path then allocates nothing.
        vertxHandler.channel().config().setAllocator(PooledByteBufAllocator.DEFAULT);
        return new NettySocket(vertxHandler);
    }

    /** Add {@code handler} after those added before it, still in front of Vert.x's handler. */
    public NettySocket addInFront(String name, ChannelHandler handler) {
        vertxHandler.pipeline().addBefore(vertxHandler.name(), name, handler);
        return this;
    }

    public ChannelPipeline pipeline() {
        return vertxHandler.pipeline();
    }

    /** The name of Vert.x's handler, for pipelines built elsewhere with {@code addBefore}. */
    public String vertxHandlerName() {
        return vertxHandler.name();
    }

    public Channel channel() {
        return vertxHandler.channel();
    }
}
