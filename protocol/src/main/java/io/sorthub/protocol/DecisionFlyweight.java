package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * DECISION: the hub's answer to one SCAN (type 0x11). Every SCAN gets exactly one, in the
 * order the SCANs arrived on the connection; events that ask for no outlet get reason
 * RECORDED and outlet 0.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                  Sequence (int64) of the SCAN answered        |  8
 *  +---------------------------------------------------------------+
 *  |                  Sort Plan Version (int64)                    | 16
 *  +---------------------------------------------------------------+
 *  |                  Rule Id (int32, 0 = no rule)                 | 24
 *  +-------------------------------+---------------+---------------+
 *  |     Outlet (uint16, 0 = none) |    Reason     | Flags (v2)    | 28
 *  +-------------------------------+---------------+---------------+
 * </pre>
 */
public final class DecisionFlyweight extends FrameFlyweight {
    public static final int SEQUENCE_OFFSET = 8;
    public static final int PLAN_VERSION_OFFSET = 16;
    public static final int RULE_ID_OFFSET = 24;
    public static final int OUTLET_OFFSET = 28;
    public static final int REASON_OFFSET = 30;
    /** Version 2 only (reserved, 0, in version 1). */
    public static final int FLAGS_OFFSET = 31;
    /** Flags bit 0: the hub routed the parcel by the barcode an operator re-keyed for its parcel id. */
    public static final int FLAG_REKEYED = 0x01;
    public static final int LENGTH = 32;

    @Override
    public byte type() {
        return MessageType.DECISION;
    }

    @Override
    public int fixedLength() {
        return LENGTH;
    }

    @Override
    public DecisionFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public DecisionFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        buffer.putByte(offset + REASON_OFFSET + 1, (byte) 0);
        return this;
    }

    @Override
    public int validate(FrameError error) {
        final int maxReason = version() >= Frame.PROTOCOL_VERSION_2 ? DecisionReason.MAX_CODE : DecisionReason.MAX_CODE_V1;
        if (DecisionReason.fromCode(reasonCode()) == null || reasonCode() > maxReason) {
            return error.set(ErrorCode.INVALID_FIELD, "DECISION reason", REASON_OFFSET, reasonCode(), maxReason);
        }
        return 0;
    }

    /** Version 2: decision flags (bit 0: routed by a re-keyed barcode); 0 in version 1. */
    public int flags() {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public DecisionFlyweight flags(int flags) {
        buffer.putByte(offset + FLAGS_OFFSET, (byte) flags);
        return this;
    }

    public long sequence() {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    public DecisionFlyweight sequence(long value) {
        buffer.putLong(offset + SEQUENCE_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public DecisionFlyweight planVersion(long value) {
        buffer.putLong(offset + PLAN_VERSION_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int ruleId() {
        return buffer.getInt(offset + RULE_ID_OFFSET, BYTE_ORDER);
    }

    public DecisionFlyweight ruleId(int value) {
        buffer.putInt(offset + RULE_ID_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int outlet() {
        return buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public DecisionFlyweight outlet(int value) {
        buffer.putShort(offset + OUTLET_OFFSET, (short) value, BYTE_ORDER);
        return this;
    }

    public int reasonCode() {
        return buffer.getByte(offset + REASON_OFFSET) & 0xFF;
    }

    public DecisionReason reason() {
        return DecisionReason.fromCode(reasonCode());
    }

    public DecisionFlyweight reason(DecisionReason reason) {
        buffer.putByte(offset + REASON_OFFSET, (byte) reason.code());
        return this;
    }
}
