package io.sorthub.gateway.device;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Last stage of a device connection: hands reads and refused telegrams to the gateway. */
final class DeviceHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceHandler.class);

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

    /**
     * A device connection error harms only that connection, but is never silent: a reset is the
     * device's doing (one line); anything else is the gateway's and names where it was thrown
     * (the whole trace at debug).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.info("device {}: connection from {} closed: {}", device.name(), ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.error("device {}: connection from {} closed on an unexpected error: {}", device.name(),
                ctx.channel().remoteAddress(), io.sorthub.kit.log.ErrorLine.of(cause));
            LOG.debug("device {}: the error's trace", device.name(), cause);
        }
        ctx.close();
    }
}
