package io.sorthub.gateway.device;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerRead;

/** Last stage of a device connection: hands reads and refused telegrams to the gateway. */
final class DeviceHandler extends ChannelInboundHandlerAdapter {
    private final ReadSink sink;
    private final Device device;

    DeviceHandler(ReadSink sink, Device device) {
        this.sink = sink;
        this.device = device;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        device.connected(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            device.connected(ctx.channel());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ScannerRead read) {
            sink.onRead(device, read, ctx.channel());
        } else if (msg instanceof LineRejected rejected) {
            sink.onRejected(device, rejected, ctx.channel());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        sink.onReadBatchEnd();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        device.disconnected(ctx.channel());
        sink.onReadBatchEnd(); // what the connection's last bytes produced
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a device connection error harms only that connection
    }
}
