package io.sorthub.hub.ops;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;

import java.util.ArrayList;
import java.util.List;

/**
 * What went into a chute, read back from the journal: a bag's parcels (the confirmations
 * into its chute while it was open) and a chute's recent parcels (decided for it, confirmed
 * into it). Memory keeps only the bags themselves ({@link Bags}); the journal is the record.
 * Runs off the event loops, a reader of its own per query.
 */
public final class ChuteHistory {
    /** Parcels listed at most, per bag or per chute view. */
    public static final int MAX_PARCELS = 10_000;
    /** Records walked at most by one chute view: an old {@code since} on a busy hub stops here. */
    public static final long MAX_RECORDS_WALKED = 5_000_000;

    private final Journal journal;

    public ChuteHistory(Journal journal) {
        this.journal = journal;
    }

    /** A parcel in a bag: confirmed diverted into its chute while the bag was open. */
    public record BagParcel(String barcode, long confirmedAtMs, long journalIndex) {
    }

    /** A parcel of the chute view. {@code event} is {@code decided} or {@code confirmed}. */
    public record ChuteParcel(String barcode, String event, long atMs, long journalIndex, String reason) {
    }

    /** The bag's parcels, in the order they were confirmed; {@link #MAX_PARCELS} at most. */
    public List<BagParcel> parcels(Bags.Bag bag) {
        final List<BagParcel> out = new ArrayList<>();
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readFrom(bag.openedIndex(), (index, record) -> {
                if (!bag.open() && index >= bag.sealedIndex()) {
                    return false;
                }
                if (record.type() == JournalRecord.TYPE_SCAN) {
                    final ScanFlyweight scan = record.scan().frame();
                    if (scan.kindCode() == EventKind.CONFIRM_DIVERTED.code() && scan.outlet() == bag.outlet()
                        && index > bag.openedIndex()) {
                        out.add(new BagParcel(scan.barcode(), record.receivedAtNs() / 1_000_000L, index));
                    }
                }
                return out.size() < MAX_PARCELS;
            });
        }
        return out;
    }

    /**
     * The parcels decided for or confirmed into {@code outlet} since {@code sinceMs}, newest
     * first, {@code limit} at most.
     */
    public List<ChuteParcel> recent(int outlet, long sinceMs, int limit) {
        final List<ChuteParcel> out = new ArrayList<>();
        final long[] walked = {0};
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readBackward((index, record) -> {
                if (record.receivedAtNs() / 1_000_000L < sinceMs || ++walked[0] > MAX_RECORDS_WALKED) {
                    return false;
                }
                if (record.type() == JournalRecord.TYPE_SCAN) {
                    final ScanRecord decided = record.scan();
                    final ScanFlyweight scan = decided.frame();
                    final int kind = scan.kindCode();
                    if ((kind == EventKind.SORT_REQUEST.code() || kind == EventKind.NO_READ.code()) && decided.outlet() == outlet) {
                        out.add(new ChuteParcel(decided.parcelBarcode(), "decided", record.receivedAtNs() / 1_000_000L, index,
                            decided.reason().name()));
                    } else if (kind == EventKind.CONFIRM_DIVERTED.code() && scan.outlet() == outlet) {
                        out.add(new ChuteParcel(scan.barcode(), "confirmed", record.receivedAtNs() / 1_000_000L, index, null));
                    }
                }
                return out.size() < limit;
            });
        }
        return out;
    }
}
