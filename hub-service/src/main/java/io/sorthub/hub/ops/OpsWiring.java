package io.sorthub.hub.ops;

import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.kit.time.Clocks;
import io.vertx.core.Vertx;

import java.util.function.BooleanSupplier;

/**
 * The operations tables after replay, handed to the writer. What was overdue for a
 * confirmation when the journal ends was counted by the run that stopped then, so it is
 * dropped uncounted; what still waited then and is overdue now ran out while the hub was
 * down, and is counted at once. From then on the writer applies every record, sweeps once a
 * second, and counts outcomes on the active only.
 */
public final class OpsWiring {
    private OpsWiring() {
    }

    /**
     * @param active whether this hub counts outcomes (a single hub always; a pair's active only)
     * @param clocks the sweep's time (epoch ns, as the records') and the overrides' (epoch ms)
     */
    public static void start(HubOps ops, OpsEffects effects, long lastReceivedAtNs, JournalAgent agent,
                             JournalProxy writer, HubMetrics metrics, BooleanSupplier active, Vertx vertx, Clocks clocks) {
        ops.holds().dropLoad(); // a replace load the last run did not finish: the list it replaced stays
        effects.sweep(lastReceivedAtNs);
        ops.confirmations().outcomes(new Confirmations.Outcomes() {
            @Override
            public void unconfirmed(int outlet) {
                if (active.getAsBoolean()) {
                    metrics.parcelUnconfirmed(outlet);
                }
            }

            @Override
            public void lost(int outlet) {
                if (active.getAsBoolean()) {
                    metrics.parcelLost(outlet);
                }
            }
        });
        agent.opsEffects(effects);
        vertx.setPeriodic(1_000, id -> writer.onWriter(() -> effects.sweep(clocks.epochNanos().nanoTime())));
        OpsMeters.register(metrics, ops, clocks.epoch());
    }
}
