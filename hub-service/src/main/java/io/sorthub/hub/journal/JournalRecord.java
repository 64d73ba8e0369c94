package io.sorthub.hub.journal;

import org.agrona.MutableDirectBuffer;

/**
 * Any journal record, read through the flyweight of its type: {@link #wrap} reads the common
 * header ({@link RecordFlyweight}) and, for a scan, wraps the {@link ScanRecord} at once (its
 * SCAN's fields located, its keys not yet hashed); the view of any other type is wrapped when
 * asked for. One per reading thread, reused for every record, so reading allocates nothing.
 */
public final class JournalRecord extends RecordFlyweight {
    /** A SCAN with the hub's decision: {@link ScanRecord}. */
    public static final byte TYPE_SCAN = 1;
    /** An operator set an outlet's state: {@link OutletStateRecord}. */
    public static final byte TYPE_OUTLET_STATE = 2;
    /** A sort plan put in force: {@link PlanRecord}. */
    public static final byte TYPE_PLAN = 3;
    /** Local only: a cycle's checkpoint, {@link CheckpointRecord}. */
    public static final byte TYPE_CHECKPOINT = 4;
    /** Who did what through the API: {@link AuditRecord}. */
    public static final byte TYPE_AUDIT = 5;
    /** An operator reset a source: {@link SourceResetRecord}. */
    public static final byte TYPE_SOURCE_RESET = 6;
    /** Hub pair, local only: the pair's log position of the batch just appended ({@link PairPositionRecord}). */
    public static final byte TYPE_PAIR_POSITION = 7;
    /** Hub pair, replicated: an instance became the pair's active ({@link PairActiveRecord}). */
    public static final byte TYPE_PAIR_ACTIVE = 8;
    /** Hub pair, replicated: the device credentials as SHA-256 digests, after an admin changed them ({@link DevicesRecord}). */
    public static final byte TYPE_DEVICES = 9;
    /** Replicated: an operator changed the hold list, an override, a re-key or a bag ({@link OpsRecord}). */
    public static final byte TYPE_OPS = 10;
    /** The highest record type this version reads; readers skip higher ones. */
    public static final byte TYPE_MAX = TYPE_OPS;

    private final ScanRecord scan = new ScanRecord();
    private final OutletStateRecord outletState = new OutletStateRecord();
    private final PlanRecord plan = new PlanRecord();
    private final CheckpointRecord checkpoint = new CheckpointRecord();
    private final AuditRecord audit = new AuditRecord();
    private final SourceResetRecord sourceReset = new SourceResetRecord();
    private final PairPositionRecord pairPosition = new PairPositionRecord();
    private final PairActiveRecord pairActive = new PairActiveRecord();
    private final DevicesRecord devices = new DevicesRecord();
    private final OpsRecord ops = new OpsRecord();

    /** Records that exist in one journal only; every other type is replicated in a hub pair. */
    public static boolean localOnly(int type) {
        return type == TYPE_CHECKPOINT || type == TYPE_PAIR_POSITION;
    }

    /** Wrap a record for reading. An embedded scan was validated before it was journaled. */
    @Override
    public JournalRecord wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        if (type() == TYPE_SCAN) {
            scan.wrap(buffer, offset);
        }
        return this;
    }

    /** Whether this record belongs to this instance's journal only (never to a pair's log). */
    public boolean localOnly() {
        return localOnly(type()) || (recordFlags() & RECORD_FLAG_CHECKPOINT) != 0;
    }

    /** Type 1, wrapped with the record. */
    public ScanRecord scan() {
        return scan;
    }

    /** Type 2. */
    public OutletStateRecord outletState() {
        return outletState.wrap(buffer, offset);
    }

    /** Type 3. */
    public PlanRecord plan() {
        return plan.wrap(buffer, offset);
    }

    /** Type 4. */
    public CheckpointRecord checkpoint() {
        return checkpoint.wrap(buffer, offset);
    }

    /** Type 5. */
    public AuditRecord audit() {
        return audit.wrap(buffer, offset);
    }

    /** Type 6. */
    public SourceResetRecord sourceReset() {
        return sourceReset.wrap(buffer, offset);
    }

    /** Type 7. */
    public PairPositionRecord pairPosition() {
        return pairPosition.wrap(buffer, offset);
    }

    /** Type 8. */
    public PairActiveRecord pairActive() {
        return pairActive.wrap(buffer, offset);
    }

    /** Type 9. */
    public DevicesRecord devices() {
        return devices.wrap(buffer, offset);
    }

    /** Type 10. */
    public OpsRecord ops() {
        return ops.wrap(buffer, offset);
    }
}
