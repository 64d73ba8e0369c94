package io.sorthub.hub.journal;

/** Type 5: who did what through the API; the layout is {@link ActorTextRecord}'s. */
public final class AuditRecord extends ActorTextRecord {

    /** The record of {@code actor} doing {@code action} at {@code atNs}. */
    public static byte[] encode(String actor, String action, long atNs) {
        return new AuditRecord().encode(JournalRecord.TYPE_AUDIT, actor, action, atNs, 0);
    }

    @Override
    public AuditRecord wrap(org.agrona.MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    /** What was done. */
    public String action() {
        return text();
    }
}
