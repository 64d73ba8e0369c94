package io.sorthub.protocol;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Device authentication by challenge and response (protocol version 2): a HELLO that sets
 * {@link HelloFlyweight#FLAG_CHALLENGE} carries no secret; the hub answers CHALLENGE with 32
 * fresh random bytes, and the source proves it holds the secret with AUTH:
 * <pre>
 *   key      = SHA-256(secret as UTF-8)                    (what the hub's devices file holds)
 *   response = HMAC-SHA256(key, nonce || sourceId as int32 little-endian)
 * </pre>
 * A recorded HELLO or AUTH is worth nothing on another connection: its nonce differs. Not on
 * the per-event path.
 */
public final class ChallengeResponse {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChallengeResponse() {
    }

    /** The key of a secret: what a devices file stores as {@code secretSha256}. */
    public static byte[] key(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The response a source holding {@code key} sends for {@code nonce}. */
    public static byte[] response(byte[] key, byte[] nonce, int sourceId) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(nonce);
            mac.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sourceId).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** A fresh nonce for one connection. */
    public static byte[] nonce() {
        final byte[] nonce = new byte[DigestFlyweight.DIGEST_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** Constant time: how long it takes does not tell how much matched. */
    public static boolean matches(byte[] expected, byte[] offered) {
        return MessageDigest.isEqual(expected, offered);
    }
}
