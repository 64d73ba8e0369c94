package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * CHALLENGE (type 0x03, hub → source) and AUTH (type 0x04, source → hub), protocol version 2
 * only: the hub's fresh random nonce, and the source's answer, an HMAC-SHA256 of it (see
 * {@link ChallengeResponse}). Both carry 32 bytes after the header.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |   CHALLENGE: nonce (32 random bytes)                          |  8
 *  |   AUTH: HMAC-SHA256(SHA-256(secret), nonce || sourceId int32) |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DigestFlyweight extends FrameFlyweight {
    public static final int DIGEST_OFFSET = 8;
    public static final int DIGEST_LENGTH = 32;
    public static final int LENGTH = DIGEST_OFFSET + DIGEST_LENGTH;

    private final byte type;

    /** @param type {@link MessageType#CHALLENGE} or {@link MessageType#AUTH} */
    public DigestFlyweight(byte type) {
        this.type = type;
    }

    @Override
    public byte type() {
        return type;
    }

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public DigestFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** Encodes a version 2 frame: the type exists in no other. */
    @Override
    public DigestFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        version(Frame.PROTOCOL_VERSION_2);
        return this;
    }

    @Override
    public int validate(FrameError error) {
        return 0; // fixed size, any bytes; the decoder refuses the type in a version 1 frame
    }

    /** Copy the 32 bytes out. */
    public void readDigest(byte[] into) {
        buffer.getBytes(offset + DIGEST_OFFSET, into, 0, DIGEST_LENGTH);
    }

    /** Write the 32 bytes. */
    public DigestFlyweight digest(byte[] from) {
        buffer.putBytes(offset + DIGEST_OFFSET, from, 0, DIGEST_LENGTH);
        return this;
    }
}
