package io.sorthub.hub.ops;

import io.sorthub.hub.journal.BarcodeHash;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-keyed no-reads (补码): the barcode an operator entered at a manual or video-coding
 * station for a parcel the tunnel could not read, bound to the sorter's own parcel id (tray,
 * carrier or induction id). The parcel's next sort request with that id is routed by the
 * re-keyed barcode, until the parcel leaves the tray ({@link #unbind}). Looked up on the
 * decision path without allocation or lock; written by the journal writer (a REKEY event, an
 * operator's re-key once durable, the end of a binding) or by replay, one at a time. Bounded: a re-key matters for the minutes a parcel recirculates, so past
 * {@link #CAPACITY} bindings the oldest half is forgotten.
 */
public final class Rekeys {
    private static final Logger LOG = LoggerFactory.getLogger(Rekeys.class);
    public static final int CAPACITY = 200_000;

    /** A table and the arena its entries point into, published together. */
    private record Generation(LongTable table, ByteArena arena) {
        static Generation fresh() {
            return new Generation(new LongTable(1 << 10), new ByteArena(1 << 16));
        }
    }

    private volatile Generation current = Generation.fresh();
    private volatile Generation previous;

    private static long key(DirectBuffer buffer, int offset, int length) {
        return BarcodeHash.parcelIdKey(buffer, offset, length); // the journal record's parcel id key
    }

    /** Bind {@code parcelId} to {@code barcode} (both ASCII in their buffers). */
    public synchronized void bind(DirectBuffer buffer, int parcelIdOffset, int parcelIdLength, int barcodeOffset,
                                  int barcodeLength) {
        if (parcelIdLength == 0 || barcodeLength == 0) {
            return;
        }
        Generation g = current;
        if (g.table().size() >= CAPACITY / 2) {
            previous = g; // the newer half stays searchable; the oldest half goes
            g = Generation.fresh();
            current = g;
            LOG.info("re-keys: the {} newest bindings kept, older ones forgotten", CAPACITY / 2);
        }
        final byte[] barcode = new byte[barcodeLength];
        buffer.getBytes(barcodeOffset, barcode);
        final int at = g.arena().append(barcode);
        g.table().put(key(buffer, parcelIdOffset, parcelIdLength), at);
    }

    /**
     * The parcel left its tray (diverted, lost, unread at the chute) or the tray now carries a
     * parcel whose barcode was read: the binding ends, so the tray's next parcel is not routed
     * by this one's barcode.
     */
    public void unbind(DirectBuffer buffer, int parcelIdOffset, int parcelIdLength) {
        if (parcelIdLength > 0) {
            unbind(key(buffer, parcelIdOffset, parcelIdLength));
        }
    }

    /** {@link #unbind(DirectBuffer, int, int)} by the parcel id's key ({@code ScanRecord.parcelIdKey()}); 0: none. */
    public void unbind(long key) {
        if (key == 0 || size() == 0) {
            return; // most sort requests and confirmations: no lock taken
        }
        synchronized (this) {
            current.table().remove(key);
            final Generation p = previous;
            if (p != null) {
                p.table().remove(key);
            }
        }
    }

    public void bind(String parcelId, String barcode) {
        final byte[] b = (parcelId + barcode).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        bind(new UnsafeBuffer(b), 0, parcelId.length(), parcelId.length(), barcode.length());
    }

    /**
     * Event loops: find the re-keyed barcode of {@code parcelId}; on true, {@code into} says where
     * it lies. Allocation-free.
     */
    public boolean find(DirectBuffer buffer, int parcelIdOffset, int parcelIdLength, Lookup into) {
        if (parcelIdLength == 0) {
            return false;
        }
        final long key = key(buffer, parcelIdOffset, parcelIdLength);
        return find(current, key, into) || find(previous, key, into);
    }

    private static boolean find(Generation g, long key, Lookup into) {
        if (g == null) {
            return false;
        }
        final long at = g.table().get(key);
        if (at == LongTable.ABSENT) {
            return false;
        }
        final UnsafeBuffer b = g.arena().buffer(); // after the entry: the buffer it points into, or a grown copy
        into.buffer = b;
        into.offset = (int) at + 1;
        into.length = ByteArena.length(b, (int) at);
        return true;
    }

    /** The barcode re-keyed for {@code parcelId}, or null. */
    public String find(String parcelId) {
        final byte[] id = parcelId.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final Lookup found = new Lookup();
        return find(new UnsafeBuffer(id), 0, id.length, found)
            ? found.buffer.getStringWithoutLengthAscii(found.offset, found.length) : null;
    }

    /** Where a found barcode lies: one per reading thread, reused. */
    public static final class Lookup {
        public UnsafeBuffer buffer;
        public int offset;
        public int length;
    }

    public int size() {
        final Generation p = previous;
        return current.table().size() + (p == null ? 0 : p.table().size());
    }
}
