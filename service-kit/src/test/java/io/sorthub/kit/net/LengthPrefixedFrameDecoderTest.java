package io.sorthub.kit.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LengthPrefixedFrameDecoderTest {
    /** A frame as the hub protocol lays it out: a little-endian uint32 counting the whole frame, then the body. */
    private static ByteBuf frame(String body) {
        final byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.buffer().writeIntLE(4 + bytes.length).writeBytes(bytes);
    }

    private static String body(ByteBuf frame) {
        try {
            return frame.toString(4, frame.readableBytes() - 4, StandardCharsets.US_ASCII);
        } finally {
            frame.release();
        }
    }

    @Test
    void framesSplitAndJoinedAcrossReadsComeOutWhole() {
        final EmbeddedChannel ch = new EmbeddedChannel(new LengthPrefixedFrameDecoder(64));
        final ByteBuf both = Unpooled.buffer().writeBytes(frame("first")).writeBytes(frame("second"));
        ch.writeInbound(both.readRetainedSlice(6)); // the length and two bytes of the first frame
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(both); // the rest of the first, all of the second: one read
        assertThat(body(ch.readInbound())).isEqualTo("first");
        assertThat(body(ch.readInbound())).isEqualTo("second");
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aLengthOverTheLimitIsRefusedAtOnceAndNamed() {
        final LengthPrefixedFrameDecoder decoder = new LengthPrefixedFrameDecoder(64);
        final EmbeddedChannel ch = new EmbeddedChannel(decoder);
        // Only the length field has arrived: fail fast, before buffering the 1 MB it announces.
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeIntLE(1 << 20)))
            .isInstanceOf(TooLongFrameException.class);
        assertThat(decoder.lastDeclaredLength()).isEqualTo(1 << 20);
        ch.finishAndReleaseAll();
    }

    @Test
    void theLengthIsReadAsAnUnsignedLittleEndianWholeFrameCount() {
        final LengthPrefixedFrameDecoder decoder = new LengthPrefixedFrameDecoder(64);
        final EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeIntLE(0xFFFFFFF0)))
            .isInstanceOf(TooLongFrameException.class);
        assertThat(decoder.lastDeclaredLength()).as("unsigned, not negative").isEqualTo(0xFFFFFFF0L);
        ch.finishAndReleaseAll();
    }
}
