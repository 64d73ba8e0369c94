package io.sorthub.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerRead;

/** Last stage of a device connection: hands reads and refused lines to the gateway. */
final class DeviceHandler extends ChannelInboundHandlerAdapter {
    private final Gateway gateway;
    private final Gateway.DeviceState device;

    DeviceHandler(Gateway gateway, Gateway.DeviceState device) {
        this.gateway = gateway;
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
            gateway.onRead(device, read, ctx.channel());
        } else if (msg instanceof LineRejected rejected) {
            gateway.onRejected(device, rejected);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        gateway.flushHub();
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        device.disconnected(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a device connection error harms only that connection
    }
}
