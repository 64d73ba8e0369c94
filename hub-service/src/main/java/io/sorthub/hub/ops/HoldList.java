package io.sorthub.hub.ops;

import io.sorthub.hub.journal.BarcodeHash;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The hold list (拦截件): barcodes the head office recalled, each with its reason. A parcel
 * on it goes to the plan's intercept outlet. Millions of entries in a {@link LongTable} of
 * barcode hashes and a {@link ByteArena} of texts: no object per entry, and a lookup on the
 * decision path allocates nothing and takes no lock. Changed only through the journal (an
 * operator's change, replay, a hub pair's log), one writer at a time.
 *
 * <p>A table and its arena form a generation, published together: a reader finds an entry and
 * reads its bytes in the same one. A new generation replaces the old when a replace load is
 * committed (loaded aside, so the list in force never stands half-loaded) and when the arena
 * holds more released or rewritten texts than live ones (compacted, so churn does not grow it).
 */
public final class HoldList {
    /** Longest reason kept (longer ones are cut). */
    public static final int MAX_REASON = 64;
    /** An arena this much bigger than its live texts (and past 1 MiB) is compacted. */
    private static final int WASTE_FACTOR = 3;
    private static final int MIN_COMPACT_BYTES = 1 << 20;

    private record Generation(LongTable table, ByteArena arena) {
        static Generation fresh() {
            return new Generation(new LongTable(1 << 10), new ByteArena(1 << 16));
        }
    }

    private volatile Generation current = Generation.fresh();
    /** A replace load in progress: filled aside, published whole by {@link #commitLoad()}. */
    private Generation loading;
    /** Bytes of the live texts of {@link #current}, an estimate kept by the writer. */
    private long liveBytes;

    /** One hold as listed. */
    public record Hold(String barcode, String reason) {
    }

    private static long key(DirectBuffer buffer, int offset, int length) {
        return BarcodeHash.barcodeKey(buffer, offset, length);
    }

    private static long key(byte[] barcode) {
        return key(new UnsafeBuffer(barcode), 0, barcode.length);
    }

    /** Put {@code barcode} on hold (or change its reason), in force at once (and kept by a load in progress). */
    public synchronized void hold(String barcode, String reason) {
        final byte[] code = ByteArena.ascii(barcode);
        final byte[] why = ByteArena.ascii(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        liveBytes += 2 + code.length + why.length - entryBytes(current, key(code));
        put(current, code, why);
        if (loading != null) {
            put(loading, code, why);
        }
        final Generation g = current;
        if (g.arena().used() > MIN_COMPACT_BYTES && g.arena().used() > WASTE_FACTOR * liveBytes) {
            current = copyOf(g);
        }
    }

    /** A checkpoint's copy of a hold: in force, and not part of a replace load in progress. */
    public synchronized void holdInForce(String barcode, String reason) {
        final byte[] code = ByteArena.ascii(barcode);
        final byte[] why = ByteArena.ascii(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        liveBytes += 2 + code.length + why.length - entryBytes(current, key(code));
        put(current, code, why);
    }

    /** Bytes the entry of {@code key} takes in the arena (0: none): what a rewrite or release leaves as waste. */
    private static long entryBytes(Generation g, long key) {
        final long at = g.table().get(key);
        if (at == LongTable.ABSENT) {
            return 0;
        }
        final UnsafeBuffer b = g.arena().buffer();
        return 2 + ByteArena.length(b, (int) at) + ByteArena.length(b, reasonAt(g, (int) at));
    }

    /** Every hold, for a checkpoint (the writer's thread). */
    public void forEach(java.util.function.BiConsumer<String, String> visitor) {
        final Generation g = current;
        g.table().forEach((key, at) -> visitor.accept(text(g, at.intValue()), text(g, reasonAt(g, at.intValue()))));
    }

    private static void put(Generation g, byte[] code, byte[] why) {
        final int at = g.arena().append(code);
        g.arena().append(why); // right after its barcode
        g.table().put(key(code), at);
    }

    /** The list in force, rebuilt with only its live texts. */
    private Generation copyOf(Generation g) {
        final Generation next = Generation.fresh();
        final long[] bytes = {0};
        g.table().forEach((key, at) -> {
            final byte[] code = ByteArena.ascii(text(g, at.intValue()));
            final byte[] why = ByteArena.ascii(text(g, reasonAt(g, at.intValue())));
            put(next, code, why);
            bytes[0] += 2 + code.length + why.length;
        });
        liveBytes = bytes[0];
        return next;
    }

    /** A replace load begins: the holds that follow ({@link #load}) go aside until {@link #commitLoad()}. */
    public synchronized void beginLoad() {
        loading = Generation.fresh(); // a load begun before and never committed is dropped
    }

    /** One hold of the replace load in progress (none in progress: ignored). */
    public synchronized void load(String barcode, String reason) {
        if (loading != null) {
            put(loading, ByteArena.ascii(barcode),
                ByteArena.ascii(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason));
        }
    }

    /** The replace load in progress becomes the list, whole. */
    public synchronized void commitLoad() {
        if (loading != null) {
            current = loading;
            loading = null;
            liveBytes = current.arena().used();
        }
    }

    /** A load begun and never committed (the hub stopped in its middle): dropped, the list stays. */
    public synchronized void dropLoad() {
        loading = null;
    }

    public boolean contains(String barcode) {
        return reasonOf(barcode) != null;
    }

    /** The reason {@code barcode} is on hold, or null when it is not. */
    public String reasonOf(String barcode) {
        final byte[] code = ByteArena.ascii(barcode);
        final Generation g = current;
        final int at = find(g, new UnsafeBuffer(code), 0, code.length);
        return at < 0 ? null : text(g, reasonAt(g, at));
    }

    /** @return true when it was on hold */
    public synchronized boolean release(String barcode) {
        final long key = key(ByteArena.ascii(barcode));
        if (loading != null) {
            loading.table().remove(key);
        }
        liveBytes -= entryBytes(current, key);
        return current.table().remove(key);
    }

    /**
     * Event loops, per sort request: whether this barcode is on hold; if so the hold's reason
     * goes on {@code decision} (an INTERCEPTED one). Allocation-free.
     */
    public boolean find(DirectBuffer buffer, int offset, int length, io.sorthub.hub.routing.Decision decision) {
        final Generation g = current;
        final int at = find(g, buffer, offset, length);
        if (at < 0) {
            return false;
        }
        final UnsafeBuffer b = g.arena().buffer();
        final int reasonAt = reasonAt(g, at);
        decision.note = b;
        decision.noteOffset = reasonAt + 1;
        decision.noteLength = ByteArena.length(b, reasonAt);
        return true;
    }

    private static int find(Generation g, DirectBuffer buffer, int offset, int length) {
        if (length == 0 || g.table().size() == 0) {
            return -1;
        }
        final long at = g.table().get(key(buffer, offset, length));
        // The hash found it; the bytes confirm it: a parcel is never intercepted for another's hold.
        return at == LongTable.ABSENT || !ByteArena.matches(g.arena().buffer(), (int) at, buffer, offset, length)
            ? -1 : (int) at;
    }

    private static int reasonAt(Generation g, int at) {
        return at + 1 + ByteArena.length(g.arena().buffer(), at); // stored right after the barcode
    }

    private static String text(Generation g, int at) {
        final UnsafeBuffer b = g.arena().buffer();
        return b.getStringWithoutLengthAscii(at + 1, ByteArena.length(b, at));
    }

    public int size() {
        return current.table().size();
    }

    /** Bytes the list's texts take now (for tests and the memory figure). */
    long arenaBytes() {
        return current.arena().used();
    }

    /** Holds in no particular order, {@code limit} at most, after skipping {@code skip}. */
    public List<Hold> list(int skip, int limit) {
        final List<Hold> out = new ArrayList<>();
        final Generation g = current;
        final int[] seen = {0};
        g.table().forEach((key, at) -> {
            if (seen[0]++ >= skip && out.size() < limit) {
                out.add(new Hold(text(g, at.intValue()), text(g, reasonAt(g, at.intValue()))));
            }
        });
        return out;
    }
}
