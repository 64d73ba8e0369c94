package io.sorthub.hub.journal;

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

    /** @return the events of {@code barcode}, oldest first; empty when the hub never saw it. */
    public List<Event> trace(String barcode) throws Exception {
        final byte[] wanted = barcode.getBytes(StandardCharsets.US_ASCII);
        final long hash = BarcodeHash.hash(wanted);
        final var latest = writer.latestIndexOf(hash);
        long index = latest.get(10, TimeUnit.SECONDS);
        final List<Event> events = new ArrayList<>();
        final JournalRecord record = new JournalRecord();
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
        try (ExcerptTailer tailer = journal.queue().createTailer()) {
            while (index != ParcelIndex.NONE && events.size() < MAX_EVENTS && tailer.moveToIndex(index)) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    final int length = (int) Math.min(bytes.readRemaining(), buffer.capacity());
                    bytes.read(buffer.byteArray(), 0, length);
                }
                record.wrap(buffer, 0);
                if (record.type() != JournalRecord.TYPE_SCAN) {
                    break;
                }
                final ScanFlyweight scan = record.scan();
                if (barcodeEquals(record, wanted)) { // another barcode with the same hash is skipped
                    events.add(new Event(index, record.sourceId(), scan.sequence(), scan.kind().name(),
                        scan.deviceTimeMs(), record.receivedAtNs(), scan.scannerId(), scan.destination(),
                        scan.weightGrams(), record.outlet(), record.reason().name(), record.ruleId(),
                        record.planVersion(), scan.outlet(), scan.parcelId(),
                        (record.decisionFlags() & io.sorthub.protocol.DecisionFlyweight.FLAG_REKEYED) != 0,
                        record.holdReason()));
                }
                index = record.previousIndex();
            }
        }
        Collections.reverse(events);
        return events;
    }

    /** The barcode the parcel is known by: a re-keyed no-read's is the one an operator keyed. */
    private static boolean barcodeEquals(JournalRecord record, byte[] wanted) {
        final int at = JournalRecord.parcelBarcodeFieldAt(record.buffer(), record.offset());
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
