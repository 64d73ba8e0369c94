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
 */
public final class HoldList {
    /** Longest reason kept (longer ones are cut). */
    public static final int MAX_REASON = 64;

    private final LongTable table = new LongTable(1 << 10);
    private final ByteArena arena = new ByteArena(1 << 16);

    /** One hold as listed. */
    public record Hold(String barcode, String reason) {
    }

    private static long key(DirectBuffer buffer, int offset, int length) {
        final long h = BarcodeHash.hash(buffer, offset, length);
        return h == 0 ? 1 : h;
    }

    private static long key(byte[] barcode) {
        return key(new UnsafeBuffer(barcode), 0, barcode.length);
    }

    /** Put {@code barcode} on hold (or change its reason). */
    public synchronized void hold(String barcode, String reason) {
        final byte[] code = ByteArena.ascii(barcode);
        final byte[] why = ByteArena.ascii(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        final int at = arena.append(code);
        arena.append(why); // right after its barcode
        table.put(key(code), at);
    }

    public boolean contains(String barcode) {
        final byte[] code = ByteArena.ascii(barcode);
        return find(new UnsafeBuffer(code), 0, code.length) >= 0;
    }

    /** The reason {@code barcode} is on hold, or null when it is not. */
    public String reasonOf(String barcode) {
        final byte[] code = ByteArena.ascii(barcode);
        final int hold = find(new UnsafeBuffer(code), 0, code.length);
        return hold < 0 ? null : reason(hold);
    }

    /** @return true when it was on hold */
    public synchronized boolean release(String barcode) {
        return table.remove(key(ByteArena.ascii(barcode)));
    }

    /**
     * Event loops, per sort request: the hold of this barcode, or -1. Allocation-free.
     *
     * @return an opaque handle for {@link #reason(int)}
     */
    public int find(DirectBuffer buffer, int offset, int length) {
        if (length == 0 || table.size() == 0) {
            return -1;
        }
        final long at = table.get(key(buffer, offset, length));
        // The hash found it; the bytes confirm it: a parcel is never intercepted for another's hold.
        return at == LongTable.ABSENT || !ByteArena.matches(arena.buffer(), (int) at, buffer, offset, length) ? -1 : (int) at;
    }

    /** Put the reason of a hold found by {@link #find} on an INTERCEPTED decision. Allocation-free. */
    public void noteReason(int hold, io.sorthub.hub.routing.Decision decision) {
        final UnsafeBuffer b = arena.buffer();
        final int reasonAt = hold + 1 + ByteArena.length(b, hold);
        decision.note = b;
        decision.noteOffset = reasonAt + 1;
        decision.noteLength = ByteArena.length(b, reasonAt);
    }

    /** The reason of a hold found by {@link #find}. */
    public String reason(int hold) {
        return arena.text(hold + 1 + ByteArena.length(arena.buffer(), hold)); // stored right after the barcode
    }

    /** The barcode of a hold found by {@link #find}. */
    public String barcode(int hold) {
        return arena.text(hold);
    }

    public int size() {
        return table.size();
    }

    /** Holds in no particular order, {@code limit} at most, after skipping {@code skip}. */
    public List<Hold> list(int skip, int limit) {
        final List<Hold> out = new ArrayList<>();
        final int[] seen = {0};
        table.forEach((key, at) -> {
            if (seen[0]++ >= skip && out.size() < limit) {
                out.add(new Hold(barcode(at.intValue()), reason(at.intValue())));
            }
        });
        return out;
    }

    public synchronized void clear() {
        table.clear();
    }
}
