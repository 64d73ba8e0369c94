package io.sorthub.hub.journal;

import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.ScanFlyweight;

import java.util.function.Consumer;

/**
 * What the journal says, applied to the hub's state (DESIGN invariant 3): each source's
 * sequence, the outlet states, the parcel index, the event totals, the last plan, and in a hub
 * pair the active and the log position the journal holds. Replay runs every record through it
 * at start (on the starting thread); a pair's standby runs every record it takes from the
 * pair's log through it (on the writer thread, which has already indexed the parcel and
 * advanced the source).
 */
public final class JournalState implements RecordEffects {
    /** The newest plan the journal holds. */
    public record Plan(long version, String text, long atMs) {
    }

    /** The pair's active as the journal last recorded it. */
    public record Active(String instance, String address, long term) {
    }

    private final SourceRegistry sources;
    private final OutletStates outlets;
    private final ParcelIndex parcels;
    private final HubMetrics metrics;
    private RecordEffects ops = RecordEffects.NONE;
    private volatile Plan plan;
    private volatile Active active;
    private Consumer<Plan> onPlan = p -> { };
    private Consumer<Active> onActive = a -> { };
    private Consumer<String> onDevices = d -> { };
    private boolean following;
    private boolean replaying;
    /** The registry's sources by id, for the thread that applies records: no boxing, no concurrent map per record. */
    private final org.agrona.collections.Int2ObjectHashMap<SourceState> seen = new org.agrona.collections.Int2ObjectHashMap<>();
    private long events;
    private long lastReceivedAtNs;
    private long position = -1;
    private long unmarked;

    public JournalState(SourceRegistry sources, OutletStates outlets, ParcelIndex parcels, HubMetrics metrics) {
        this.sources = sources;
        this.outlets = outlets;
        this.parcels = parcels;
        this.metrics = metrics;
    }

    /** Replay applies every record to the operations tables too (after start the writer does). */
    public void opsEffects(RecordEffects ops) {
        this.ops = ops;
    }

    /** Read the whole journal into the hub's state; every source's sequence is published after. */
    public long replay(Journal journal) throws java.io.IOException {
        return replay(journal, records -> { });
    }

    /** As {@link #replay(Journal)}, telling {@code progress} the records read so far every 65,536 of them. */
    public long replay(Journal journal, java.util.function.LongConsumer progress) throws java.io.IOException {
        final long[] records = {0};
        replaying = true;
        try (JournalReader reader = new JournalReader(journal)) {
            reader.readAllOrFail((index, record) -> {
                apply(index, record);
                if ((++records[0] & 0xFFFF) == 0) {
                    progress.accept(records[0]);
                }
            });
            parcels.flush(); // the last batch (a failed replay stops the start: nothing to flush for)
            parcels.replayed();
        } finally {
            replaying = false;
        }
        sources.all().forEach(SourceState::publishDurable);
        return events;
    }

    /**
     * From now on records come from the pair's log through the writer, which keeps sources and
     * parcels itself; tell {@code onPlan} of each new plan, {@code onActive} of each new active and
     * {@code onDevices} of each change of the device credentials (a devices file of digests).
     */
    public void follow(Consumer<Plan> onPlan, Consumer<Active> onActive, Consumer<String> onDevices) {
        this.onPlan = onPlan;
        this.onActive = onActive;
        this.onDevices = onDevices;
        this.following = true;
    }

    @Override
    public void apply(long index, JournalRecord record) {
        final int type = record.type();
        lastReceivedAtNs = Math.max(lastReceivedAtNs, record.receivedAtNs());
        if (!record.localOnly()) {
            unmarked++;
        }
        if (!following) {
            ops.apply(index, record);
        }
        switch (type) {
            case JournalRecord.TYPE_SCAN -> {
                final ScanRecord scanRecord = record.scan();
                final ScanFlyweight scan = scanRecord.frame();
                outlets.apply(scan.kindCode(), scan.outlet());
                if (!following) {
                    source(scanRecord.sourceId()).journaledAtLeast(scan.sequence());
                    final long key = scanRecord.chainKey();
                    if (key == 0) {
                        // nothing to index
                    } else if (replaying) {
                        parcels.recordBatched(key, index, scan.kindCode(), scanRecord.parcelOutlet());
                    } else {
                        parcels.record(key, index, scan.kindCode(), scanRecord.parcelOutlet());
                    }
                }
                // Totals carry on across restarts and takeovers instead of dropping to zero.
                metrics.event(scan.kindCode());
                metrics.decision(scanRecord.reason());
                events++;
            }
            case JournalRecord.TYPE_OUTLET_STATE -> {
                final OutletStateRecord state = record.outletState();
                outlets.set(state.outlet(), OutletStatus.fromCode(state.status()));
            }
            case JournalRecord.TYPE_CHECKPOINT -> record.checkpoint().forEach(
                (sourceId, sequence) -> source(sourceId).journaledAtLeast(sequence), (outlet, status) -> {
                    outlets.set(outlet, OutletStatus.fromCode(status));
                    return 0;
                });
            case JournalRecord.TYPE_SOURCE_RESET -> {
                if (!following) {
                    source(record.sourceReset().sourceId()).replayReset();
                }
            }
            case JournalRecord.TYPE_PLAN -> {
                final Plan latest = plan;
                final PlanRecord planRecord = record.plan();
                if (latest == null || planRecord.planVersion() > latest.version()) {
                    plan = new Plan(planRecord.planVersion(), planRecord.text(), record.receivedAtNs() / 1_000_000L);
                    onPlan.accept(plan);
                }
            }
            case JournalRecord.TYPE_PAIR_ACTIVE -> {
                final PairActiveRecord pairActive = record.pairActive();
                active = new Active(pairActive.instance(), pairActive.address(), pairActive.term());
                onActive.accept(active);
            }
            case JournalRecord.TYPE_DEVICES -> {
                if (following) {
                    onDevices.accept(record.devices().text());
                }
            }
            case JournalRecord.TYPE_PAIR_POSITION -> {
                position = record.pairPosition().position();
                unmarked = 0;
            }
            default -> { }
        }
    }

    private SourceState source(int sourceId) {
        SourceState state = seen.get(sourceId);
        if (state == null) {
            state = sources.get(sourceId);
            seen.put(sourceId, state);
        }
        return state;
    }

    /** Hub receive time of the newest record read (epoch ns; 0: none): about when the last run stopped. */
    public long lastReceivedAtNs() {
        return lastReceivedAtNs;
    }

    /** Scan events read so far. */
    public long events() {
        return events;
    }

    /** The newest plan in the journal, or null. */
    public Plan plan() {
        return plan;
    }

    /** The pair's active as last recorded, or null. */
    public Active active() {
        return active;
    }

    /** The pair log position of the last batch in the journal (-1: none). */
    public long position() {
        return position;
    }

    /** Records after the last position record: the start of a batch whose position was never recorded. */
    public long unmarked() {
        return unmarked;
    }
}
