package io.sorthub.hub.control;

import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.routing.OutletStates;
import io.sorthub.hub.routing.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.hub.routing.SortPlanHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Changes an operator makes while the hub runs: a new sort plan, an outlet's state. Each
 * is journaled through the single writer before it takes effect, so a restart puts back
 * exactly what was in force (DESIGN invariant 3). Blocking: call it off the event loops.
 */
public final class HubControl {
    private static final Logger LOG = LoggerFactory.getLogger(HubControl.class);

    private final SortPlanHolder plans;
    private final OutletStates outlets;
    private final JournalAgent journal;
    private final Runnable wakeJournal;
    private final io.sorthub.hub.metrics.HubMetrics metrics;
    private final java.util.function.Consumer<SortPlan> onInstalled;

    public HubControl(SortPlanHolder plans, OutletStates outlets, JournalAgent journal, Runnable wakeJournal,
                      io.sorthub.hub.metrics.HubMetrics metrics, java.util.function.Consumer<SortPlan> onInstalled) {
        this.plans = plans;
        this.outlets = outlets;
        this.journal = journal;
        this.wakeJournal = wakeJournal;
        this.metrics = metrics;
        this.onInstalled = onInstalled;
    }

    /**
     * Parse, validate and compile {@code text}, journal it, then swap it in. Events keep
     * flowing on the old plan until the swap, and on the new one from then on.
     *
     * @throws SortPlanException naming what is wrong; the running plan stays
     */
    public synchronized SortPlan installPlan(String text, String actor) throws SortPlanException {
        final long version = Math.max(System.currentTimeMillis(), plans.current().version() + 1);
        final SortPlan plan;
        try {
            plan = new SortPlanCompiler().compile(text, version);
        } catch (SortPlanException e) {
            metrics.planRejected();
            throw e;
        }
        journal(JournalRecord.plan(version, text, System.currentTimeMillis() * 1_000_000L), "sort plan " + version);
        journal(JournalRecord.audit(actor, "installed sort plan '" + plan.name() + "' version " + version,
            System.currentTimeMillis() * 1_000_000L), "audit record");
        plans.swap(plan);
        metrics.planReloaded();
        onInstalled.accept(plan);
        LOG.info("sort plan '{}' version {} in force ({} rules, {} warnings), by {}", plan.name(), version,
            plan.rules().size(), plan.warnings().size(), actor);
        return plan;
    }

    /** Set an outlet's state (e.g. an operator marks a chute full), journaled first. */
    public void setOutlet(int outlet, OutletStatus status, String actor) {
        journal(JournalRecord.outletState(outlet, status.code(), System.currentTimeMillis() * 1_000_000L, actor),
            "outlet " + outlet + " state");
        outlets.set(outlet, status);
        LOG.info("outlet {} set {} by {}", outlet, status.label(), actor);
    }

    /** Journal an audit record of an operator's or admin's action (who, what, when). */
    public void audit(String actor, String action) {
        journal(JournalRecord.audit(actor, action, System.currentTimeMillis() * 1_000_000L), "audit record");
    }

    private void journal(byte[] record, String what) {
        final var done = journal.submit(record);
        wakeJournal.run();
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while journaling " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not journal " + what + ": " + e, e);
        }
    }
}
