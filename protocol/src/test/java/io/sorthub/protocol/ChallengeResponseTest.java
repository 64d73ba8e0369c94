package io.sorthub.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The challenge-response of protocol version 2 against the worked example in PROTOCOL.md (computed apart, with Python's hmac). */
class ChallengeResponseTest {
    private static final byte[] NONCE = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            NONCE[i] = (byte) i;
        }
    }

    @Test
    void theDocumentedExampleHolds() {
        final byte[] key = ChallengeResponse.key("s3cret");
        assertThat(HexFormat.of().formatHex(key)).isEqualTo("1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0");
        assertThat(HexFormat.of().formatHex(ChallengeResponse.response(key, NONCE, 100)))
            .isEqualTo("d10108a18150637b6205f72dda860ce0325ffa46ffb3db09749d736c5eb703c3");
    }

    @Test
    void challengeAndAuthAreVersion2FramesOfFortyBytes() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        new DigestFlyweight(MessageType.CHALLENGE).wrapForEncode(buffer, 0).digest(NONCE);
        final FrameDecoder decoder = new FrameDecoder();
        assertThat(decoder.decode(buffer, 0, 40)).isEqualTo(MessageType.CHALLENGE);
        final byte[] read = new byte[32];
        decoder.challenge().readDigest(read);
        assertThat(read).isEqualTo(NONCE);
        assertThat(decoder.decode(buffer, 0, 39)).isNegative();
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        buffer.putByte(Frame.VERSION_OFFSET, (byte) 1); // no such type in version 1
        assertThat(decoder.decode(buffer, 0, 40)).isNegative();
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void aChallengeHelloCarriesNoSecretAndNoUnknownFlag() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final HelloFlyweight hello = new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(5).strings("gw", "");
        hello.flags(HelloFlyweight.FLAG_CHALLENGE);
        final FrameDecoder decoder = new FrameDecoder();
        assertThat(decoder.decode(buffer, 0, hello.frameLength())).isEqualTo(MessageType.HELLO);
        assertThat(decoder.hello().flags()).isEqualTo(HelloFlyweight.FLAG_CHALLENGE);
        hello.strings("gw", "secret");
        assertThat(decoder.decode(buffer, 0, hello.frameLength())).isNegative();
        assertThat(decoder.error().message()).startsWith("HELLO credential (must be empty with the CHALLENGE flag)");
        hello.strings("gw", "").flags(0x02);
        assertThat(decoder.decode(buffer, 0, hello.frameLength())).isNegative();
        assertThat(decoder.error().message()).isEqualTo("HELLO flags at byte 12 has invalid value 2");
        hello.version(1); // version 1: the field is reserved and not read
        assertThat(decoder.decode(buffer, 0, hello.frameLength())).isEqualTo(MessageType.HELLO);
        assertThat(decoder.hello().flags()).isZero();
    }
}
