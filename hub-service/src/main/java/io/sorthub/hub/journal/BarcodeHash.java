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

    /** Keys of parcel ids live apart from barcodes' (a collision would only cost a skipped record). */
    private static final long PARCEL_ID_SPACE = 0x7061_7263_656c_4944L;

    /**
     * The key a scan record is chained under in the parcel index: its barcode's hash (the
     * re-keyed one for a re-keyed no-read); for a record without a barcode, the hash of its
     * parcel id (a sorter confirming a tray it could not read), so a trace finds it from the
     * decision that carried the same parcel id; 0 when it has neither.
     */
    public static long chainKey(DirectBuffer record, int offset) {
        final int barcodeAt = JournalRecord.parcelBarcodeFieldAt(record, offset);
        final int barcodeLength = record.getByte(barcodeAt) & 0xFF;
        if (barcodeLength > 0) {
            return nonZero(hash(record, barcodeAt + 1, barcodeLength));
        }
        final int parcelIdAt = JournalRecord.parcelIdFieldAt(record, offset);
        final int parcelIdLength = parcelIdAt < 0 ? 0 : record.getByte(parcelIdAt) & 0xFF;
        return parcelIdLength == 0 ? 0 : parcelIdKey(record, parcelIdAt + 1, parcelIdLength);
    }

    /** The parcel-index key of records that carry only this parcel id. */
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
