package io.sorthub.hub.journal;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * 64-bit hash of a barcode for the parcel index and the operations tables: eight bytes at a
 * time (xxHash64's round: multiply, rotate, multiply), the tail a byte at a time, then
 * MurmurHash3's finaliser to spread similar barcodes (SF0000001, SF0000002...) across the
 * table. A barcode is hashed on the decision path and again by the journal writer and by
 * replay for every record, so word steps matter: a 20-byte barcode is three rounds, not 20
 * dependent multiplies. Collisions are harmless: a trace walks every record of the hash and
 * keeps those whose barcode is the one asked for. Hashes live in memory only (tables rebuilt
 * by replay), so the function may change between versions.
 */
public final class BarcodeHash {
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long SEED = 0x27D4EB2F165667C5L;

    private BarcodeHash() {
    }

    public static long hash(DirectBuffer buffer, int offset, int length) {
        long h = SEED + length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = round(h, buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN));
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (long) (buffer.getByte(offset + i) & 0xFF) << shift;
            }
            h = round(h, tail);
        }
        return mix(h);
    }

    private static long round(long h, long word) {
        return Long.rotateLeft(h ^ Long.rotateLeft(word * PRIME_2, 31) * PRIME_1, 27) * PRIME_1 + PRIME_2;
    }

    /** Keys of parcel ids live apart from barcodes' (a collision would only cost a skipped record). */
    private static final long PARCEL_ID_SPACE = 0x7061_7263_656c_4944L;

    /** The key of a barcode in the parcel index and the operations tables: never 0 (0 means "none"). */
    public static long barcodeKey(DirectBuffer buffer, int offset, int length) {
        return nonZero(hash(buffer, offset, length));
    }

    /** The key of a parcel id (a tray, carrier or induction id): never 0, and apart from barcodes' keys. */
    public static long parcelIdKey(DirectBuffer buffer, int offset, int length) {
        return nonZero(hash(buffer, offset, length) ^ PARCEL_ID_SPACE);
    }

    private static long nonZero(long key) {
        return key == 0 ? 1 : key; // 0 means "no key" to the callers, and the index maps 0 to 1 too
    }

    public static long hash(byte[] bytes) {
        return hash(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
