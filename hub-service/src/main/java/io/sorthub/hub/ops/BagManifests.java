package io.sorthub.hub.ops;

import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.OpsRecord;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Bag manifests from a walk through the journal, in journal order: a bag opens (BAG_TAG or an
 * operator), collects the parcels confirmed diverted into its chute, and is sealed (BAG_SEALED,
 * an operator, or the next bag at the chute); each manifest is handed on when its bag is
 * sealed, and the bags still open at the end by {@link #finish}. Memory: the open bags'
 * parcel lists. For {@code journal export --bags}.
 */
public final class BagManifests {
    /** A bag and its parcels; {@code sealedAtMs} is 0 while it is open. */
    public record Manifest(String bagId, int outlet, long openedAtMs, long sealedAtMs, List<String> parcels) {
    }

    private final Map<Integer, Open> open = new HashMap<>();
    private final Consumer<Manifest> out;

    private static final class Open {
        final String bagId;
        final long openedAtMs;
        final List<String> parcels = new ArrayList<>();

        Open(String bagId, long openedAtMs) {
            this.bagId = bagId;
            this.openedAtMs = openedAtMs;
        }
    }

    public BagManifests(Consumer<Manifest> out) {
        this.out = out;
    }

    public void onRecord(JournalRecord record) {
        final long atMs = record.receivedAtNs() / 1_000_000L;
        if (record.type() == JournalRecord.TYPE_SCAN) {
            final ScanFlyweight scan = record.scan().frame();
            final int kind = scan.kindCode();
            if (kind == EventKind.CONFIRM_DIVERTED.code()) {
                final Open bag = open.get(scan.outlet());
                if (bag != null) {
                    bag.parcels.add(scan.barcode());
                }
            } else if (kind == EventKind.BAG_TAG.code() && scan.barcodeLength() > 0) {
                opened(scan.outlet(), scan.barcode(), atMs);
            } else if (kind == EventKind.BAG_SEALED.code()) {
                sealed(scan.outlet(), scan.barcode(), atMs);
            }
        } else if (record.type() == JournalRecord.TYPE_OPS) {
            final OpsRecord change = record.ops();
            final OpsChange.Op op = OpsChange.Op.fromCode(change.op());
            if (op == OpsChange.Op.OPEN_BAG || op == OpsChange.Op.SEAL_BAG) {
                final String[] f = change.payload().split("\t", -1);
                if (op == OpsChange.Op.OPEN_BAG) {
                    opened(Integer.parseInt(f[0]), f[1], atMs);
                } else {
                    sealed(Integer.parseInt(f[0]), f[1], atMs);
                }
            }
        }
    }

    /** The bags still open, as they stand. */
    public void finish() {
        open.forEach((outlet, bag) -> out.accept(new Manifest(bag.bagId, outlet, bag.openedAtMs, 0, bag.parcels)));
        open.clear();
    }

    private void opened(int outlet, String bagId, long atMs) {
        final Open already = open.get(outlet);
        if (already != null && already.bagId.equals(bagId)) {
            return; // its tag scanned again, or a checkpoint's copy: the bag stays open, whole
        }
        sealed(outlet, "", atMs);
        open.put(outlet, new Open(bagId, atMs));
    }

    private void sealed(int outlet, String bagId, long atMs) {
        final Open bag = open.get(outlet);
        if (bag != null && (bagId.isEmpty() || bagId.equals(bag.bagId))) {
            open.remove(outlet);
            out.accept(new Manifest(bag.bagId, outlet, bag.openedAtMs, atMs, bag.parcels));
        }
    }
}
