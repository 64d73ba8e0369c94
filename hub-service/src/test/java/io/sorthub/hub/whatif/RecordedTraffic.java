package io.sorthub.hub.whatif;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.OutletStateRecord;
import io.sorthub.hub.journal.PlanRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Writes a journal the way the hub does (JournalRecord bytes, one Chronicle document each):
 * sort requests decided by the plan in force with the outlet states of the moment, chute
 * events, operator changes. The traffic mix is the test's, so every figure of a what-if
 * report on it is known.
 */
final class RecordedTraffic implements AutoCloseable {
    private final Journal journal;
    private final ExcerptAppender appender;
    private final SortPlan inForce;
    private final OutletStates states = new OutletStates();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
    private final ScanFlyweight scan = new ScanFlyweight();
    private final Decision decision = new Decision();
    private long sequence;

    RecordedTraffic(Path dir, SortPlan inForce) {
        this.journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
        this.appender = journal.queue().createAppender();
        this.inForce = inForce;
        append(PlanRecord.encode(inForce.version(), inForce.sourceText(), 0L));
    }

    /** {@code count} parcels to {@code destination}, one a second from {@code atMs}. */
    RecordedTraffic sortRequests(long atMs, int count, String destination, int weightGrams) {
        for (int i = 0; i < count; i++) {
            event(atMs + i * 1000L, EventKind.SORT_REQUEST, "P" + (sequence + 1), destination, weightGrams, 0);
        }
        return this;
    }

    RecordedTraffic noReads(long atMs, int count) {
        for (int i = 0; i < count; i++) {
            event(atMs + i * 1000L, EventKind.NO_READ, "", "", 0, 0);
        }
        return this;
    }

    /** The sorter reports a chute's state (a scan record, as it arrives on the scan port). */
    RecordedTraffic chute(long atMs, EventKind kind, int outlet) {
        return event(atMs, kind, "", "", 0, outlet);
    }

    /** An operator sets an outlet's state through the API (its own record type). */
    RecordedTraffic operator(long atMs, int outlet, OutletStatus status) {
        append(OutletStateRecord.encode(outlet, status.code(), atMs * 1_000_000L, "test"));
        states.set(outlet, status);
        return this;
    }

    private RecordedTraffic event(long atMs, EventKind kind, String barcode, String destination, int weight, int outlet) {
        scan.wrapForEncode(frame, 0).sequence(++sequence).deviceTimeMs(atMs).kind(kind).weightGrams(weight)
            .dimensionsMm(300, 200, 100).outlet(outlet).strings("T1", barcode, destination, "C1");
        final ScanFlyweight read = new ScanFlyweight().wrap(frame, 0);
        read.validate(new io.sorthub.protocol.FrameError());
        inForce.decide(read, atMs, states, decision);
        final int length = ScanRecord.encode(record, 0, 1, atMs * 1_000_000L, decision, read);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(record.byteArray(), 0, length);
        }
        states.apply(kind.code(), outlet);
        return this;
    }

    private void append(byte[] bytes) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(bytes);
        }
    }

    Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        appender.close();
        journal.close();
    }
}
