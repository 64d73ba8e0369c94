package io.sorthub.hub.ops;

import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.OpsRecord;
import io.sorthub.hub.journal.RecordEffects;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.DirectBuffer;

/**
 * What journal records do to the operations tables: an operator's change (record type 10),
 * and the sources' events that change them — a REKEY binds a parcel id to a barcode, a
 * BAG_TAG opens a bag at its chute and a BAG_SEALED seals it, a decision waits for its
 * confirmation and a CONFIRM_* ends the wait. Applied to every record the journal writer
 * appends (whichever way it came: a source, an operator, a hub pair's log) and, at start, to
 * every record replay reads; one thread at a time. Allocation-free for the records that
 * come by the million (decisions, confirmations).
 */
public final class OpsEffects implements RecordEffects {
    private final HubOps ops;

    public OpsEffects(HubOps ops) {
        this.ops = ops;
    }

    @Override
    public void apply(long journalIndex, JournalRecord record) {
        final int type = record.type();
        if (type == JournalRecord.TYPE_SCAN) {
            scan(journalIndex, record.scan());
        } else if (type == JournalRecord.TYPE_OPS) {
            final OpsRecord change = record.ops();
            try {
                OpsChange.apply(ops, change.op(), change.payload(), change.actor(), journalIndex,
                    record.receivedAtNs() / 1_000_000L);
            } catch (RuntimeException e) {
                // An operator's change this hub cannot read (damaged, or from a newer hub through a
                // pair's log) is one change lost, said loudly: never a writer stopped for good, nor
                // a replay that fails at every start.
                ops.changeUnreadable();
                LOG.error("journal record {}: an operator's change (op {}) cannot be applied and is skipped: {}",
                    journalIndex, change.op(), e.toString());
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpsEffects.class);

    /** Count what waited for its confirmation past the timeout, at {@code nowNs} (epoch). */
    public void sweep(long nowNs) {
        ops.confirmations().sweep(nowNs);
    }

    private void scan(long journalIndex, ScanRecord record) {
        final ScanFlyweight scan = record.frame();
        final int kind = scan.kindCode();
        final DirectBuffer b = scan.buffer();
        if (kind == EventKind.SORT_REQUEST.code() || kind == EventKind.NO_READ.code()) {
            // An unread parcel's "barcode" is the scanner's no-read word, the same for all of them: not a key.
            final long barcodeKey = isRead(record.reason()) ? record.barcodeKey() : 0;
            ops.confirmations().decided(barcodeKey, record.parcelIdKey(), record.outlet(), record.receivedAtNs());
            if (kind == EventKind.SORT_REQUEST.code() && scan.barcodeLength() > 0 && isRead(record.reason())
                && (record.decisionFlags() & io.sorthub.protocol.DecisionFlyweight.FLAG_REKEYED) == 0) {
                ops.rekeys().unbind(record.parcelIdKey()); // the tray carries a parcel whose barcode was read
            }
        } else if (kind == EventKind.CONFIRM_DIVERTED.code() || kind == EventKind.CONFIRM_RECIRCULATED.code()
            || kind == EventKind.CONFIRM_NO_READ.code()) {
            // A confirmation is never re-keyed (DecisionExceptions.routed re-keys sort requests and
            // no-reads only): the barcode it is known by is the one it carries.
            ops.confirmations().confirmed(record.barcodeKey(), record.parcelIdKey());
            if (kind != EventKind.CONFIRM_RECIRCULATED.code()) {
                ops.rekeys().unbind(record.parcelIdKey()); // off the tray: a recirculating parcel keeps its re-key for its next pass
            }
        } else if (kind == EventKind.CONFIRM_LOST.code()) {
            ops.confirmations().lost(record.barcodeKey(), record.parcelIdKey(), scan.outlet());
            ops.rekeys().unbind(record.parcelIdKey());
        } else if (kind == EventKind.REKEY.code()) {
            ops.rekeys().bind(b, scan.parcelIdOffset(), scan.parcelIdLength(), scan.barcodeOffset(), scan.barcodeLength());
        } else if (kind == EventKind.BAG_TAG.code()) {
            if (scan.barcodeLength() > 0) {
                ops.bags().open(scan.outlet(), scan.barcode(), journalIndex, record.receivedAtNs() / 1_000_000L);
            }
        } else if (kind == EventKind.BAG_SEALED.code()) {
            ops.bags().seal(scan.outlet(), scan.barcodeLength() == 0 ? null : scan.barcode(), journalIndex,
                record.receivedAtNs() / 1_000_000L);
        }
    }

    /** A decision made from a barcode that was read (not a no-read, multi-read or bad code). */
    private static boolean isRead(io.sorthub.protocol.DecisionReason reason) {
        return reason != io.sorthub.protocol.DecisionReason.NO_READ && reason != io.sorthub.protocol.DecisionReason.MULTI_READ
            && reason != io.sorthub.protocol.DecisionReason.INVALID_BARCODE;
    }
}
