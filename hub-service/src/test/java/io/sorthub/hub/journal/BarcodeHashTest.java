package io.sorthub.hub.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BarcodeHashTest {
    @Test
    void theSameBytesHashTheSameWhereverTheyLie() {
        final byte[] code = "JD0123456789012345".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer elsewhere = new UnsafeBuffer(new byte[64]);
        for (int offset = 0; offset < 8; offset++) {
            elsewhere.putBytes(offset + 3, code);
            assertThat(BarcodeHash.hash(elsewhere, offset + 3, code.length)).as("at offset %d", offset + 3)
                .isEqualTo(BarcodeHash.hash(code));
        }
    }

    @Test
    void everyByteOfEveryLengthCounts() {
        // Lengths around the eight-byte words, and a change in each position: the tail and the
        // words both feed the hash, and a prefix does not hash like its longer barcode.
        final LongHashSet seen = new LongHashSet();
        int hashed = 0;
        for (int length = 0; length <= 40; length++) {
            final byte[] code = new byte[length];
            java.util.Arrays.fill(code, (byte) '0');
            assertThat(seen.add(BarcodeHash.hash(code))).as("length %d", length).isTrue();
            hashed++;
            for (int at = 0; at < length; at++) {
                code[at] = '1';
                assertThat(seen.add(BarcodeHash.hash(code))).as("length %d, byte %d changed", length, at).isTrue();
                code[at] = '0';
                hashed++;
            }
        }
        assertThat(seen.size()).isEqualTo(hashed);
    }

    @Test
    void sequentialBarcodesSpreadOverATablesSlots() {
        // Carriers' barcodes are counters: SF0000000001, SF0000000002... The parcel index takes
        // a slot from the low bits; 1 M sequential codes in 2^21 slots should fill about
        // 1 - e^(-1/2) = 39.35% of them, as random keys would (one standard deviation is 0.016%),
        // and never collide in 64 bits.
        final int codes = 1 << 20;
        final int slots = 1 << 21;
        final java.util.BitSet used = new java.util.BitSet(slots);
        final LongHashSet keys = new LongHashSet(codes);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        for (int i = 0; i < codes; i++) {
            b.putStringWithoutLengthAscii(0, String.format("SF%010d", i));
            final long key = BarcodeHash.barcodeKey(b, 0, 12);
            assertThat(keys.add(key)).as("SF%010d", i).isTrue();
            used.set((int) (key ^ (key >>> 32)) & (slots - 1));
        }
        final double filled = used.cardinality() / (double) slots;
        assertThat(filled).isBetween(0.3925, 0.3945);
    }

    @Test
    void aParcelIdsKeyIsNotTheSameTextsBarcodeKey() {
        final UnsafeBuffer b = new UnsafeBuffer("123".getBytes(StandardCharsets.US_ASCII));
        assertThat(BarcodeHash.parcelIdKey(b, 0, 3)).isNotEqualTo(BarcodeHash.barcodeKey(b, 0, 3));
        assertThat(BarcodeHash.barcodeKey(b, 0, 3)).isNotZero();
    }
}
