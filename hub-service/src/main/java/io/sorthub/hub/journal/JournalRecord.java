package io.sorthub.hub.journal;

import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.hub.routing.Decision;
import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * One journal document: a SCAN as it arrived, with the hub's decision about it.
 * The scan is kept as its wire frame, so the journal holds exactly what the source sent.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  Record Type  | Record Version|        Reserved (0)           |  0
 *  +---------------+---------------+-------------------------------+
 *  |                  Source Id (int32)                            |  4
 *  +---------------------------------------------------------------+
 *  |                  Received At (int64, epoch ns, hub clock)     |  8
 *  +---------------------------------------------------------------+
 *  |                  Sort Plan Version (int64)                    | 16
 *  +---------------------------------------------------------------+
 *  |                  Rule Id (int32)                              | 24
 *  +-------------------------------+---------------+---------------+
 *  |        Outlet (uint16)        |    Reason     |  Reserved (0) | 28
 *  +-------------------------------+---------------+---------------+
 *  |                  SCAN frame, as received (see PROTOCOL.md)   ... 32
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class JournalRecord {
    public static final byte TYPE_SCAN = 1;
    public static final byte VERSION = 1;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int SOURCE_ID_OFFSET = 4;
    public static final int RECEIVED_AT_OFFSET = 8;
    public static final int PLAN_VERSION_OFFSET = 16;
    public static final int RULE_ID_OFFSET = 24;
    public static final int OUTLET_OFFSET = 28;
    public static final int REASON_OFFSET = 30;
    public static final int SCAN_OFFSET = 32;
    public static final int HEADER_LENGTH = SCAN_OFFSET;
    public static final int MAX_LENGTH = HEADER_LENGTH + Frame.MAX_FRAME_LENGTH;

    private final ScanFlyweight scan = new ScanFlyweight();
    private final FrameError error = new FrameError();
    private MutableDirectBuffer buffer;
    private int offset;

    /** Write a record for {@code source}'s scan and decision; returns its length. */
    public static int encode(MutableDirectBuffer dst, int offset, int sourceId, long receivedAtNs,
                             Decision decision, ScanFlyweight source) {
        dst.putByte(offset + TYPE_OFFSET, TYPE_SCAN);
        dst.putByte(offset + VERSION_OFFSET, VERSION);
        dst.putShort(offset + 2, (short) 0, BYTE_ORDER);
        dst.putInt(offset + SOURCE_ID_OFFSET, sourceId, BYTE_ORDER);
        dst.putLong(offset + RECEIVED_AT_OFFSET, receivedAtNs, BYTE_ORDER);
        dst.putLong(offset + PLAN_VERSION_OFFSET, decision.planVersion, BYTE_ORDER);
        dst.putInt(offset + RULE_ID_OFFSET, decision.ruleId, BYTE_ORDER);
        dst.putShort(offset + OUTLET_OFFSET, (short) decision.outlet, BYTE_ORDER);
        dst.putByte(offset + REASON_OFFSET, (byte) decision.reason.code());
        dst.putByte(offset + REASON_OFFSET + 1, (byte) 0);
        return HEADER_LENGTH + source.copyTo(dst, offset + SCAN_OFFSET);
    }

    /** Wrap a record for reading. The embedded scan was validated before it was journaled. */
    public JournalRecord wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        scan.wrap(buffer, offset + SCAN_OFFSET);
        scan.validate(error); // locates the variable fields; the frame was valid when journaled
        return this;
    }

    public int type() {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    public long receivedAtNs() {
        return buffer.getLong(offset + RECEIVED_AT_OFFSET, BYTE_ORDER);
    }

    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public int ruleId() {
        return buffer.getInt(offset + RULE_ID_OFFSET, BYTE_ORDER);
    }

    public int outlet() {
        return buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public DecisionReason reason() {
        return DecisionReason.fromCode(buffer.getByte(offset + REASON_OFFSET) & 0xFF);
    }

    /** The SCAN frame; its sequence and fixed fields are readable at once. */
    public ScanFlyweight scan() {
        return scan;
    }

    /** The SCAN's sequence, read straight from the record: what replay needs, at replay speed. */
    public static long sequence(MutableDirectBuffer buffer, int offset) {
        return buffer.getLong(offset + SCAN_OFFSET + ScanFlyweight.SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
