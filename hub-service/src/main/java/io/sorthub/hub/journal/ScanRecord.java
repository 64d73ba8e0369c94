package io.sorthub.hub.journal;

import io.sorthub.hub.routing.Decision;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Type 1, almost every record: a SCAN as it arrived, with the hub's decision about it. The scan
 * is kept as its wire frame, so the journal holds exactly what the source sent. Made by the
 * event loops ({@link #encode}, into the writer's ring), read by the writer and by replay at
 * millions a second: wrapping one allocates nothing, and its keys are hashed once per wrap.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Source Id (int32)                            |  4
 *  +---------------------------------------------------------------+
 *  |                  Received At (int64, epoch ns, hub clock)     |  8
 *  +---------------------------------------------------------------+
 *  |                  Sort Plan Version (int64)                    | 16
 *  +---------------------------------------------------------------+
 *  |                  Rule Id (int32)                              | 24
 *  +-------------------------------+---------------+---------------+
 *  |        Outlet (uint16)        |    Reason     | Decision flags| 28
 *  +-------------------------------+---------------+---------------+
 *  |  Previous (int64): journal index of the previous record of    | 32
 *  |  the same barcode (hash), 0 when none; set by the writer      |
 *  +---------------------------------------------------------------+
 *  |                  SCAN frame, as received (see PROTOCOL.md)   ... 40
 *  +---------------------------------------------------------------+
 *  | len | barcode routed by, when decision flag 1 (re-keyed) is set ...
 *  +---------------------------------------------------------------+
 *  | len | the hold's reason, when the reason is INTERCEPTED        ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ScanRecord extends RecordFlyweight {
    public static final int SOURCE_ID_OFFSET = TYPE_INT_OFFSET;
    public static final int PLAN_VERSION_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int RULE_ID_OFFSET = PLAN_VERSION_OFFSET + SIZE_OF_LONG;
    public static final int OUTLET_OFFSET = RULE_ID_OFFSET + SIZE_OF_INT;
    public static final int REASON_OFFSET = OUTLET_OFFSET + SIZE_OF_SHORT;
    /** Decision flags (protocol version 2's DECISION flags; 0 before). */
    public static final int DECISION_FLAGS_OFFSET = REASON_OFFSET + SIZE_OF_BYTE;
    public static final int PREVIOUS_OFFSET = DECISION_FLAGS_OFFSET + SIZE_OF_BYTE;
    public static final int SCAN_OFFSET = PREVIOUS_OFFSET + SIZE_OF_LONG;
    /** The fixed part, before the SCAN frame. */
    public static final int FIXED_LENGTH = SCAN_OFFSET;
    /** The longest scan record: the frame, a re-keyed barcode and a hold's reason (64 characters at most). */
    public static final int MAX_LENGTH = FIXED_LENGTH + Frame.MAX_FRAME_LENGTH + 1 + ScanFlyweight.MAX_BARCODE_LENGTH
        + 1 + 64;

    private final ScanFlyweight frame = new ScanFlyweight();
    private final FrameError error = new FrameError();

    // The record's keys, hashed at most once per wrap: the writer and replay want each of them
    // two or three times (the parcel index's chain, the confirmation map, the re-keys).
    private boolean barcodeKeyKnown;
    private long barcodeKey;
    private boolean parcelIdKeyKnown;
    private long parcelIdKey;

    /** Write a record for {@code source}'s scan and decision; returns its length. */
    public static int encode(MutableDirectBuffer dst, int offset, int sourceId, long receivedAtNs,
                             Decision decision, ScanFlyweight source) {
        return encode(dst, offset, sourceId, receivedAtNs, decision, source, source);
    }

    /** The bytes {@link #encode} writes after the SCAN frame: the re-key and hold-reason trailers. */
    public static int trailerLength(Decision decision, ScanFlyweight source, ScanFlyweight routed) {
        return (routed == source ? 0 : 1 + routed.barcodeLength())
            + (decision.reason == DecisionReason.INTERCEPTED ? 1 + decision.noteLength : 0);
    }

    /**
     * As above, for a scan routed by another barcode than its own (a re-keyed no-read): the
     * record keeps the SCAN as sent, then the barcode it was routed by (the re-key trailer);
     * an interception then keeps the hold's reason.
     */
    public static int encode(MutableDirectBuffer dst, int offset, int sourceId, long receivedAtNs,
                             Decision decision, ScanFlyweight source, ScanFlyweight routed) {
        dst.putByte(offset + TYPE_OFFSET, JournalRecord.TYPE_SCAN);
        dst.putByte(offset + VERSION_OFFSET, VERSION);
        dst.putShort(offset + TYPE_BYTE_OFFSET, (short) 0, BYTE_ORDER); // and the record flags
        dst.putInt(offset + SOURCE_ID_OFFSET, sourceId, BYTE_ORDER);
        dst.putLong(offset + RECEIVED_AT_OFFSET, receivedAtNs, BYTE_ORDER);
        dst.putLong(offset + PLAN_VERSION_OFFSET, decision.planVersion, BYTE_ORDER);
        dst.putInt(offset + RULE_ID_OFFSET, decision.ruleId, BYTE_ORDER);
        dst.putShort(offset + OUTLET_OFFSET, (short) decision.outlet, BYTE_ORDER);
        dst.putByte(offset + REASON_OFFSET, (byte) decision.reason.code());
        dst.putByte(offset + DECISION_FLAGS_OFFSET, (byte) decision.flags);
        dst.putLong(offset + PREVIOUS_OFFSET, 0L, BYTE_ORDER);
        int length = FIXED_LENGTH + source.copyTo(dst, offset + SCAN_OFFSET);
        if (routed != source) {
            final int barcodeLength = routed.barcodeLength();
            dst.putByte(offset + length, (byte) barcodeLength);
            dst.putBytes(offset + length + 1, routed.buffer(), routed.barcodeOffset(), barcodeLength);
            length += 1 + barcodeLength;
        }
        if (decision.reason == DecisionReason.INTERCEPTED) {
            dst.putByte(offset + length, (byte) decision.noteLength);
            if (decision.noteLength > 0) {
                dst.putBytes(offset + length + 1, decision.note, decision.noteOffset, decision.noteLength);
            }
            length += 1 + decision.noteLength;
        }
        return length;
    }

    /** Wrap a scan record for reading. Its SCAN was validated before it was journaled. */
    @Override
    public ScanRecord wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        barcodeKeyKnown = false;
        parcelIdKeyKnown = false;
        frame.wrap(buffer, offset + SCAN_OFFSET);
        frame.validate(error); // locates the variable fields
        return this;
    }

    /** The SCAN frame; its sequence and fixed fields are readable at once. */
    public ScanFlyweight frame() {
        return frame;
    }

    /** The source that sent the scan. */
    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    /** The plan version that decided. */
    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public int ruleId() {
        return buffer.getInt(offset + RULE_ID_OFFSET, BYTE_ORDER);
    }

    /** The decided outlet. */
    public int outlet() {
        return buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public DecisionReason reason() {
        return DecisionReason.fromCode(buffer.getByte(offset + REASON_OFFSET) & 0xFF);
    }

    /** The decision flags (bit 0: routed by a re-keyed barcode). */
    public int decisionFlags() {
        return buffer.getByte(offset + DECISION_FLAGS_OFFSET) & 0xFF;
    }

    /** Journal index of the previous record with the same chain key; 0 when none. */
    public long previousIndex() {
        return buffer.getLong(offset + PREVIOUS_OFFSET, BYTE_ORDER);
    }

    /** Link the record to the previous one of its parcel (the writer, before appending it). */
    public ScanRecord previousIndex(long journalIndex) {
        buffer.putLong(offset + PREVIOUS_OFFSET, journalIndex, BYTE_ORDER);
        return this;
    }

    /** See {@link #parcelOutlet(DirectBuffer, int)}. */
    public int parcelOutlet() {
        return parcelOutlet(buffer, offset);
    }

    /** The hold's reason of an INTERCEPTED decision; null for any other. */
    public String holdReason() {
        if (reason() != DecisionReason.INTERCEPTED) {
            return null;
        }
        int at = offset + SCAN_OFFSET + buffer.getInt(offset + SCAN_OFFSET + Frame.LENGTH_OFFSET, BYTE_ORDER);
        if ((decisionFlags() & DecisionFlyweight.FLAG_REKEYED) != 0) {
            at += 1 + (buffer.getByte(at) & 0xFF);
        }
        return asciiAfterLength(at);
    }

    /**
     * The key of the barcode the parcel is known by ({@link #parcelBarcodeFieldAt}), never 0;
     * 0 when the record has no barcode. Hashed once per wrap.
     */
    public long barcodeKey() {
        if (!barcodeKeyKnown) {
            final int at = parcelBarcodeFieldAt(buffer, offset);
            final int length = buffer.getByte(at) & 0xFF;
            barcodeKey = length == 0 ? 0 : BarcodeHash.barcodeKey(buffer, at + 1, length);
            barcodeKeyKnown = true;
        }
        return barcodeKey;
    }

    /** The key of the record's parcel id ({@link BarcodeHash#parcelIdKey}), 0 when it has none. Hashed once per wrap. */
    public long parcelIdKey() {
        if (!parcelIdKeyKnown) {
            final int at = parcelIdFieldAt(buffer, offset);
            final int length = at < 0 ? 0 : buffer.getByte(at) & 0xFF;
            parcelIdKey = length == 0 ? 0 : BarcodeHash.parcelIdKey(buffer, at + 1, length);
            parcelIdKeyKnown = true;
        }
        return parcelIdKey;
    }

    /**
     * The key the record is chained under in the parcel index: its barcode's (the re-keyed one
     * for a re-keyed no-read); for a record without a barcode, its parcel id's (a sorter
     * confirming a tray it could not read), so a trace finds it from the decision that carried
     * the same parcel id; 0 when it has neither.
     */
    public long chainKey() {
        final long key = barcodeKey();
        return key != 0 ? key : parcelIdKey();
    }

    /** The barcode the parcel is known by (see {@link #parcelBarcodeFieldAt}). */
    public String parcelBarcode() {
        return asciiAfterLength(parcelBarcodeFieldAt(buffer, offset));
    }

    // Straight from the bytes, without a wrap: for the writer's batch and the exporter.

    /**
     * The offset of the length byte of the barcode the parcel is known by: the re-key trailer
     * when the scan was routed by a re-keyed barcode, else the SCAN's own barcode.
     */
    public static int parcelBarcodeFieldAt(DirectBuffer buffer, int offset) {
        if ((buffer.getByte(offset + DECISION_FLAGS_OFFSET) & DecisionFlyweight.FLAG_REKEYED) != 0) {
            return offset + SCAN_OFFSET + buffer.getInt(offset + SCAN_OFFSET + Frame.LENGTH_OFFSET, BYTE_ORDER);
        }
        return barcodeFieldAt(buffer, offset);
    }

    /**
     * Offset of the parcel id's length byte in a scan record at {@code offset} (version 2
     * SCANs: after barcode, destination and customer), or -1 for a version 1 SCAN.
     */
    public static int parcelIdFieldAt(DirectBuffer buffer, int offset) {
        if (buffer.getByte(offset + SCAN_OFFSET + Frame.VERSION_OFFSET) < Frame.PROTOCOL_VERSION_2) {
            return -1;
        }
        int at = barcodeFieldAt(buffer, offset);
        for (int field = 0; field < 3; field++) { // barcode, destination, customer
            at += 1 + (buffer.getByte(at) & 0xFF);
        }
        return at;
    }

    /** Offset of the barcode's length byte in a scan record at {@code offset}. */
    public static int barcodeFieldAt(DirectBuffer buffer, int offset) {
        final int scannerIdAt = offset + SCAN_OFFSET + ScanFlyweight.VAR_FIELDS_OFFSET;
        return scannerIdAt + 1 + (buffer.getByte(scannerIdAt) & 0xFF);
    }

    /** The SCAN's event kind. */
    public static int kindCode(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset + SCAN_OFFSET + ScanFlyweight.KIND_OFFSET) & 0xFF;
    }

    /**
     * The outlet that matters for the parcel's quality figures: the decided outlet for a sort
     * request, the outlet the sorter reported for anything else.
     */
    public static int parcelOutlet(DirectBuffer buffer, int offset) {
        return kindCode(buffer, offset) == EventKind.SORT_REQUEST.code()
            ? buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF
            : buffer.getShort(offset + SCAN_OFFSET + ScanFlyweight.OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /** The source that sent the scan. */
    public static int sourceId(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    /** The SCAN's sequence: what replay needs, at replay speed. */
    public static long sequence(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + SCAN_OFFSET + ScanFlyweight.SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
