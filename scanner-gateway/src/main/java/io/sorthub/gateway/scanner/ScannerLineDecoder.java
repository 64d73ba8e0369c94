package io.sorthub.gateway.scanner;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Second stage of a device's pipeline: a telegram's body in (a slice from
 * {@link TelegramDecoder}), a {@link ScannerRead} or {@link LineRejected} out. Rejections of
 * the framing stage pass through.
 */
public final class ScannerLineDecoder extends MessageToMessageDecoder<Object> {
    private final ScannerLineParser parser;

    public ScannerLineDecoder(ScannerProfile profile) {
        this.parser = new ScannerLineParser(profile);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof ByteBuf body) {
            out.add(parser.parse(body.toString(StandardCharsets.ISO_8859_1)));
        } else {
            out.add(msg);
        }
    }
}
