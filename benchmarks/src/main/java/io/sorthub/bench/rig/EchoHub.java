package io.sorthub.bench.rig;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.sorthub.protocol.AckFlyweight;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.WelcomeFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;

/**
 * Baseline for the load rig: a bare Netty server on the same protocol, doing only framing
 * and answering: WELCOME to HELLO, a DECISION (fixed outlet) for each SCAN, one cumulative
 * ACK per read batch. No routing, no journal, no Vert.x. What the network stack and the
 * load generator allow on this machine; SortHub is reported as a share of it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.EchoHub PORT} (prints "listening on PORT").
 */
public final class EchoHub {
    public static void main(String[] args) throws Exception {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 7401;
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            final Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(Frame.BYTE_ORDER, Frame.MAX_FRAME_LENGTH, 0, 4, -4, 0, true),
                            new Echo());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.println("listening on " + ((InetSocketAddress) server.localAddress()).getPort());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final UnsafeBuffer reply = new UnsafeBuffer(new byte[64]);
        private final DecisionFlyweight decision = new DecisionFlyweight();
        private int sourceId;
        private long lastSequence;
        private ByteBuf out;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            final ByteBuf frame = (ByteBuf) msg;
            try {
                if (out == null) {
                    out = ctx.alloc().directBuffer(16 * 1024);
                }
                final byte type = frame.getByte(frame.readerIndex() + Frame.TYPE_OFFSET);
                if (type == MessageType.HELLO) {
                    sourceId = frame.getIntLE(frame.readerIndex() + 8);
                    new WelcomeFlyweight().wrapForEncode(reply, 0).sourceId(sourceId).resumeSequence(0).heartbeatIntervalMs(5000)
                        .maxFrameLength(Frame.MAX_FRAME_LENGTH);
                    append(ctx, WelcomeFlyweight.LENGTH);
                } else if (type == MessageType.SCAN) {
                    lastSequence = frame.getLongLE(frame.readerIndex() + ScanFlyweight.SEQUENCE_OFFSET);
                    decision.wrapForEncode(reply, 0).sequence(lastSequence).outlet(1).reason(DecisionReason.RULE).ruleId(1).planVersion(1);
                    append(ctx, DecisionFlyweight.LENGTH);
                }
            } finally {
                frame.release();
            }
        }

        private void append(ChannelHandlerContext ctx, int length) {
            if (out.writableBytes() < length) {
                ctx.write(out, ctx.voidPromise());
                out = ctx.alloc().directBuffer(16 * 1024);
            }
            out.writeBytes(reply.byteArray(), 0, length);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (lastSequence > 0) {
                new AckFlyweight().wrapForEncode(reply, 0).sourceId(sourceId).sequence(lastSequence);
                append(ctx, AckFlyweight.LENGTH);
            }
            if (out != null && out.isReadable()) {
                ctx.writeAndFlush(out, ctx.voidPromise());
                out = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (out != null) {
                out.release();
                out = null;
            }
        }
    }
}
