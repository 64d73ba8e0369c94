package io.sorthub.hub.journal;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Type 3: a sort plan put in force, with its whole text, so that every decision's plan can be
 * found again. Made on the control plane and by each cycle's checkpoint.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Record Type  |Record Version | Reserved (0)  | Record Flags  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                  Text Length (int32)                          |  4
 *  +---------------------------------------------------------------+
 *  |                  At (int64, epoch ns, hub clock)              |  8
 *  +---------------------------------------------------------------+
 *  |                  Sort Plan Version (int64)                    | 16
 *  +---------------------------------------------------------------+
 *  |                  Plan text (YAML, UTF-8)                     ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PlanRecord extends RecordFlyweight {
    public static final int TEXT_LENGTH_OFFSET = TYPE_INT_OFFSET;
    /** Where a scan record keeps the version of the plan that decided, too. */
    public static final int PLAN_VERSION_OFFSET = RECEIVED_AT_OFFSET + SIZE_OF_LONG;
    public static final int TEXT_OFFSET = PLAN_VERSION_OFFSET + SIZE_OF_LONG;

    /** The record of plan {@code planVersion}, put in force at {@code atNs}. */
    public static byte[] encode(long planVersion, String text, long atNs) {
        final byte[] textBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final PlanRecord record = new PlanRecord();
        record.wrapNew(TEXT_OFFSET + textBytes.length);
        record.header(JournalRecord.TYPE_PLAN, atNs);
        record.planVersion(planVersion).text(textBytes);
        return record.bytes();
    }

    @Override
    public PlanRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public PlanRecord planVersion(long planVersion) {
        buffer.putLong(offset + PLAN_VERSION_OFFSET, planVersion, BYTE_ORDER);
        return this;
    }

    /** The plan's text. */
    public String text() {
        return utf8(offset + TEXT_OFFSET, buffer.getInt(offset + TEXT_LENGTH_OFFSET, BYTE_ORDER));
    }

    /** Set the text (UTF-8) and its length; the record must have room for it. */
    public PlanRecord text(byte[] utf8) {
        buffer.putInt(offset + TEXT_LENGTH_OFFSET, utf8.length, BYTE_ORDER);
        buffer.putBytes(offset + TEXT_OFFSET, utf8);
        return this;
    }
}
