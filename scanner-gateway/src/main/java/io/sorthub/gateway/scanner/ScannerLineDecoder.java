package io.sorthub.gateway.scanner;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/** Second stage of a device's pipeline: line text in, {@link ScannerRead} or {@link LineRejected} out. */
public final class ScannerLineDecoder extends MessageToMessageDecoder<String> {
    private final ScannerLineParser parser;

    public ScannerLineDecoder(ScannerProfile profile) {
        super(String.class);
        this.parser = new ScannerLineParser(profile);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, String line, List<Object> out) {
        out.add(parser.parse(line));
    }
}
