package io.sorthub.hub.journal;

import io.sorthub.hub.ops.HubOps;
import io.sorthub.hub.ops.OpsChange;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import org.agrona.concurrent.EpochNanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What replay needs if the cycles before this one are deleted: every source's journaled
 * sequence, the unavailable outlets, the plan in force and the operations tables. Called on
 * the writer thread once per cycle: before the first batch of a cycle that turned between
 * batches, else right after the batch during which it turned.
 */
public final class CheckpointRecords implements Supplier<List<byte[]>> {
    private final SourceRegistry sources;
    private final OutletStates outlets;
    private final SortPlanHolder plans;
    private final HubOps ops;
    private final EpochNanoClock clock;

    public CheckpointRecords(SourceRegistry sources, OutletStates outlets, SortPlanHolder plans, HubOps ops,
                             EpochNanoClock clock) {
        this.clock = clock;
        this.sources = sources;
        this.outlets = outlets;
        this.plans = plans;
        this.ops = ops;
    }

    @Override
    public List<byte[]> get() {
        final List<SourceState> all = new ArrayList<>(sources.all());
        final int[] ids = new int[all.size()];
        final long[] sequences = new long[all.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = all.get(i).sourceId();
            sequences[i] = all.get(i).journaledSequence();
        }
        final int[][] unavailable = outlets.unavailable();
        final long nowNs = clock.nanoTime();
        final SortPlan plan = plans.current();
        final List<byte[]> records = new ArrayList<>();
        records.add(CheckpointRecord.encode(ids, sequences, unavailable[0], unavailable[1], nowNs));
        records.add(PlanRecord.encode(plan.version(), plan.sourceText(), nowNs));
        records.addAll(OpsChange.checkpoint(ops, nowNs));
        return records;
    }
}
