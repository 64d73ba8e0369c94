package io.sorthub.hub.journal;

/**
 * Type 10, replicated: an operator changed the hold list, an override, a re-key or a bag (see
 * ops.OpsChange). The layout is {@link ActorTextRecord}'s, the change's op in the type's byte
 * and the change as UTF-8 lines in the text.
 */
public final class OpsRecord extends ActorTextRecord {
    public static final int OP_OFFSET = TYPE_BYTE_OFFSET;

    /** The record of an operator's change {@code op} (an ops.OpsChange.Op code); no actor is "-". */
    public static byte[] encode(int op, String payload, String actor, long atNs) {
        return new OpsRecord().encode(JournalRecord.TYPE_OPS, actor == null || actor.isEmpty() ? "-" : actor, payload,
            atNs, op);
    }

    @Override
    public OpsRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** The change (an ops.OpsChange.Op code). */
    public int op() {
        return buffer.getByte(offset + OP_OFFSET) & 0xFF;
    }

    /** What changed, as UTF-8 lines. */
    public String payload() {
        return text();
    }
}
