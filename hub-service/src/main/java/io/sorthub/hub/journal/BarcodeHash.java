package io.sorthub.hub.journal;

import org.agrona.DirectBuffer;

/**
 * 64-bit hash of a barcode for the parcel index: FNV-1a over the bytes, then MurmurHash3's
 * finaliser to spread similar barcodes (SF0000001, SF0000002...) across the table.
 * Collisions are harmless: a trace walks every record of the hash and keeps those whose
 * barcode is the one asked for.
 */
public final class BarcodeHash {
    private BarcodeHash() {
    }

    public static long hash(DirectBuffer buffer, int offset, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h ^= buffer.getByte(offset + i) & 0xFF;
            h *= 0x100000001b3L;
        }
        return mix(h);
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
