package io.sorthub.hub.ops;

import io.sorthub.hub.journal.BarcodeHash;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A supervisor's overrides: one parcel (by barcode) or one destination sent to another outlet
 * until a given time. Looked up on the decision path without allocation or lock (two
 * {@link LongTable}s of packed outlet and end time); listed and cancelled through the API;
 * changed only through the journal, one writer at a time. An override for a parcel wins over
 * one for its destination.
 */
public final class Overrides {
    /** What an override applies to. */
    public enum Scope { BARCODE, DESTINATION }

    /** One override as listed. */
    public record Override(Scope scope, String key, int outlet, long untilMs, String actor) {
    }

    private final LongTable barcodes = new LongTable(64);
    private final LongTable destinations = new LongTable(64);
    private final Map<String, Override> listed = new ConcurrentHashMap<>();

    private static long key(DirectBuffer buffer, int offset, int length) {
        return BarcodeHash.barcodeKey(buffer, offset, length);
    }

    private static long key(String text) {
        final byte[] b = ByteArena.ascii(text);
        return key(new UnsafeBuffer(b), 0, b.length);
    }

    private static long pack(int outlet, long untilMs) {
        return (untilMs / 1000) << 16 | (outlet & 0xFFFF);
    }

    public synchronized void set(Scope scope, String key, int outlet, long untilMs, String actor) {
        (scope == Scope.BARCODE ? barcodes : destinations).put(key(key), pack(outlet, untilMs));
        listed.put(scope + "/" + key, new Override(scope, key, outlet, untilMs, actor));
    }

    /** @return true when there was one */
    public synchronized boolean cancel(Scope scope, String key) {
        listed.remove(scope + "/" + key);
        return (scope == Scope.BARCODE ? barcodes : destinations).remove(key(key));
    }

    /**
     * Event loops, per sort request: the outlet an override in force names for this parcel, or 0.
     * Allocation-free.
     */
    public int outletFor(DirectBuffer buffer, int barcodeOffset, int barcodeLength, int destinationOffset,
                         int destinationLength, long nowMs) {
        if (barcodeLength > 0 && barcodes.size() > 0) {
            final int outlet = inForce(barcodes.get(key(buffer, barcodeOffset, barcodeLength)), nowMs);
            if (outlet != 0) {
                return outlet;
            }
        }
        if (destinationLength > 0 && destinations.size() > 0) {
            return inForce(destinations.get(key(buffer, destinationOffset, destinationLength)), nowMs);
        }
        return 0;
    }

    private static int inForce(long packed, long nowMs) {
        if (packed == LongTable.ABSENT || (packed >>> 16) * 1000 <= nowMs) {
            return 0;
        }
        return (int) (packed & 0xFFFF);
    }

    /** The override of {@code key} in force at {@code nowMs}, or null. */
    public Override find(Scope scope, String key, long nowMs) {
        final Override o = listed.get(scope + "/" + key);
        return o == null || o.untilMs() <= nowMs ? null : o;
    }

    /** Overrides in force at {@code nowMs}. */
    public int inForce(long nowMs) {
        int n = 0;
        for (Override o : listed.values()) {
            if (o.untilMs() > nowMs) {
                n++;
            }
        }
        return n;
    }

    /** Overrides still in force at {@code nowMs}, oldest ending first. */
    public List<Override> list(long nowMs) {
        final List<Override> out = new ArrayList<>();
        for (Override o : listed.values()) {
            if (o.untilMs() > nowMs) {
                out.add(o);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Override::untilMs));
        return out;
    }
}
