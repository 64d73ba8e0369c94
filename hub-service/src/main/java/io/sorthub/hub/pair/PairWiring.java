package io.sorthub.hub.pair;

import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.PlanRecord;
import io.sorthub.hub.journal.JournalState;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.hub.security.DeviceRegistry;
import io.sorthub.kit.time.Clocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * How the rest of the hub follows this instance's role in the pair: a standby puts in force
 * the plans and device credentials the pair's log brings (compiled off the writer thread, one
 * at a time, in log order); a new active first makes sure the log holds a plan and that the
 * newest one is in force; an instance that steps down hands over to {@code onSteppedDown}.
 */
public final class PairWiring implements PairRole.Hub {
    private static final Logger LOG = LoggerFactory.getLogger(PairWiring.class);

    private final JournalState state;
    private final SortPlanHolder plans;
    private final Consumer<SortPlan> onPlanInstalled;
    private final DeviceRegistry devices;
    private final Consumer<String> onSteppedDown;
    private final Clocks clocks;
    private final AtomicReference<CompletableFuture<Void>> planInstall =
        new AtomicReference<>(CompletableFuture.completedFuture(null));

    /**
     * @param devices the devices file's registry, or null when none is configured
     * @param clocks  the lease's and the promotion's time, and the records' (epoch ns)
     */
    public PairWiring(JournalState state, SortPlanHolder plans, Consumer<SortPlan> onPlanInstalled, DeviceRegistry devices,
                      Consumer<String> onSteppedDown, Clocks clocks) {
        this.clocks = clocks;
        this.state = state;
        this.plans = plans;
        this.onPlanInstalled = onPlanInstalled;
        this.devices = devices;
        this.onSteppedDown = onSteppedDown;
    }

    /** The role, its writer in the follower's mode: call before the writer's thread takes any work. */
    public PairRole role(PairSettings settings, JournalAgent writer, JournalProxy journal, HubMetrics metrics)
        throws Exception {
        return new PairRole(settings, writer, journal, state, metrics, this, this::planFromLog, this::devicesFromLog,
            clocks);
    }

    @Override
    public void promoted(JournalProxy journal) throws Exception {
        if (state.plan() == null) {
            // The pair's log holds no plan yet: the one in force here becomes the pair's.
            final SortPlan plan = plans.current();
            journal.append(PlanRecord.encode(plan.version(), plan.sourceText(),
                clocks.epochNanos().nanoTime())).get(30, TimeUnit.SECONDS);
        }
        // Before a new active takes events: the newest plan of the log is in force.
        planInstall.get().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void steppedDown(String why) {
        onSteppedDown.accept(why);
    }

    /** A standby took a plan from the pair's log (writer thread): compile it off that thread and put it in force. */
    private void planFromLog(JournalState.Plan plan) {
        if (plan.version() == plans.current().version()) {
            return;
        }
        planInstall.set(planInstall.get().thenRunAsync(() -> {
            try {
                final SortPlan compiled = new SortPlanCompiler().compile(plan.text(), plan.version());
                if (compiled.version() > plans.current().version()) {
                    plans.swap(compiled);
                    onPlanInstalled.accept(compiled);
                    LOG.info("sort plan '{}' version {} in force, from the pair's log", compiled.name(), compiled.version());
                }
            } catch (SortPlanException e) {
                LOG.error("the pair's log holds sort plan version {} that this hub refuses: {}", plan.version(),
                    e.getMessage());
            }
        }));
    }

    /** A standby took changed device credentials from the pair's log (writer thread): write its devices file. */
    private void devicesFromLog(String digestsYaml) {
        if (devices == null) {
            LOG.warn("the pair's active changed the device credentials, but this instance has no devicesFile: "
                + "configure one so that sources can authenticate here after a takeover");
            return;
        }
        try {
            devices.replace(digestsYaml);
        } catch (DeviceRegistry.DevicesException e) {
            LOG.error("device credentials from the pair's log not taken: {}", e.getMessage());
        }
    }
}
