package io.sorthub.hub.tracking;

import io.sorthub.hub.journal.BarcodeHash;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.journal.Journal;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A parcel's history at this hub, read from the journal: ask the writer for the latest
 * record of the barcode's hash, then follow each record's back-pointer. Runs off the event
 * loops, with a tailer of its own per query.
 */
public final class ParcelTraces {
    /** Longest trace returned: a parcel circling a broken sorter must not fill a response. */
    public static final int MAX_EVENTS = 1_000;

    private final Journal journal;
    private final JournalProxy writer;

    public ParcelTraces(Journal journal, JournalProxy writer) {
        this.journal = journal;
        this.writer = writer;
    }

    /** One event of a trace, copied out of the journal. */
    public record Event(long journalIndex, int sourceId, long sequence, String kind, long deviceTimeMs,
                        long receivedAtNs, String scanner, String destination, int weightGrams, int outlet,
                        String reason, int ruleId, long planVersion, int reportedOutlet, String parcelId,
                        boolean rekeyed, String holdReason) {
    }

    /**
     * @return the events of {@code barcode}, oldest first; empty when the hub never saw it.
     * A confirmation that carries only the parcel id a decision of the barcode carried (the
     * sorter could not read the parcel at the chute) is part of it: the first such
     * confirmation after that decision, before the tray carries another parcel.
     */
    public List<Event> trace(String barcode) throws Exception {
        final byte[] wanted = barcode.getBytes(StandardCharsets.US_ASCII);
        final List<Event> events = new ArrayList<>();
        try (ExcerptTailer tailer = journal.queue().createTailer()) {
            final Walk walk = new Walk(tailer);
            walk.back(latest(BarcodeHash.barcodeKey(new UnsafeBuffer(wanted), 0, wanted.length)), 0, record -> {
                if (barcodeEquals(record, wanted)) { // another barcode with the same hash is skipped
                    events.add(event(walk.index, record));
                }
                return events.size() < MAX_EVENTS;
            });
            Collections.reverse(events);
            addConfirmationsByParcelId(walk, events);
        }
        return events;
    }

    /** For each decision that carried a parcel id: the first confirmation with only that id after it. */
    private void addConfirmationsByParcelId(Walk walk, List<Event> events) throws Exception {
        final List<Event> found = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            final Event decision = events.get(i);
            if (decision.parcelId() == null || decision.parcelId().isEmpty()
                || !(decision.kind().equals("SORT_REQUEST") || decision.kind().equals("NO_READ"))) {
                continue;
            }
            final byte[] id = decision.parcelId().getBytes(StandardCharsets.US_ASCII);
            final long key = BarcodeHash.parcelIdKey(new UnsafeBuffer(id), 0, id.length);
            final Event[] first = {null};
            final boolean whole = walk.back(latest(key), decision.journalIndex() + 1, record -> {
                if (isConfirmation(record) && parcelIdEquals(record, id)) {
                    first[0] = event(walk.index, record); // walking back: the last seen is the first after the decision
                }
                return true;
            });
            // A walk cut short by its bound has not seen the first confirmation after the decision.
            if (whole && first[0] != null && !answeredBefore(events, i, first[0].journalIndex())) {
                found.add(first[0]);
            }
        }
        if (!found.isEmpty()) {
            events.addAll(found);
            events.sort(java.util.Comparator.comparingLong(Event::journalIndex));
            while (events.size() > MAX_EVENTS) {
                events.remove(0);
            }
        }
    }

    /** Whether the parcel heard from the sorter (or was decided again) between decision {@code i} and {@code index}. */
    private static boolean answeredBefore(List<Event> events, int i, long index) {
        for (int j = i + 1; j < events.size() && events.get(j).journalIndex() < index; j++) {
            final String kind = events.get(j).kind();
            if (kind.startsWith("CONFIRM_") || kind.equals("SORT_REQUEST") || kind.equals("NO_READ")) {
                return true;
            }
        }
        return false;
    }

    private long latest(long key) throws Exception {
        return writer.latestIndexOf(key).get(10, TimeUnit.SECONDS);
    }

    private static boolean isConfirmation(ScanRecord record) {
        final int kind = record.frame().kindCode();
        return kind == io.sorthub.protocol.EventKind.CONFIRM_DIVERTED.code()
            || kind == io.sorthub.protocol.EventKind.CONFIRM_RECIRCULATED.code()
            || kind == io.sorthub.protocol.EventKind.CONFIRM_NO_READ.code()
            || kind == io.sorthub.protocol.EventKind.CONFIRM_LOST.code();
    }

    private static Event event(long index, ScanRecord record) {
        final ScanFlyweight scan = record.frame();
        return new Event(index, record.sourceId(), scan.sequence(), scan.kind().name(),
            scan.deviceTimeMs(), record.receivedAtNs(), scan.scannerId(), scan.destination(),
            scan.weightGrams(), record.outlet(), record.reason().name(), record.ruleId(),
            record.planVersion(), scan.outlet(), scan.parcelId(),
            (record.decisionFlags() & io.sorthub.protocol.DecisionFlyweight.FLAG_REKEYED) != 0,
            record.holdReason());
    }

    /** Follows one chain of the parcel index back through the journal, with one tailer and buffer. */
    private static final class Walk {
        private final ExcerptTailer tailer;
        private final JournalRecord record = new JournalRecord();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        long index;

        Walk(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        /**
         * Visit the chain from {@code from} back to (not below) {@code floor}, at most MAX_EVENTS
         * records, while it says go on.
         *
         * @return true when the walk reached the floor or the chain's start (not cut by its bound)
         */
        boolean back(long from, long floor, java.util.function.Predicate<ScanRecord> visitor) {
            index = from;
            int steps = 0;
            while (index != ParcelIndex.NONE && index >= floor) {
                if (steps++ == MAX_EVENTS || !tailer.moveToIndex(index)) {
                    return false;
                }
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return false;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final int length = (int) Math.min(bytes.readRemaining(), buffer.capacity());
                    bytes.read(buffer.byteArray(), 0, length);
                }
                record.wrap(buffer, 0);
                if (record.type() != JournalRecord.TYPE_SCAN || !visitor.test(record.scan())) {
                    return true;
                }
                index = record.scan().previousIndex();
            }
            return true;
        }
    }

    private static boolean parcelIdEquals(ScanRecord record, byte[] wanted) {
        final int at = ScanRecord.parcelIdFieldAt(record.buffer(), record.offset());
        if (at < 0 || (record.buffer().getByte(at) & 0xFF) != wanted.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (record.buffer().getByte(at + 1 + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    /** The barcode the parcel is known by: a re-keyed no-read's is the one an operator keyed. */
    private static boolean barcodeEquals(ScanRecord record, byte[] wanted) {
        final int at = ScanRecord.parcelBarcodeFieldAt(record.buffer(), record.offset());
        if ((record.buffer().getByte(at) & 0xFF) != wanted.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (record.buffer().getByte(at + 1 + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }
}
