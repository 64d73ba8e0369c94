package io.sorthub.hub.control;

import io.sorthub.hub.journal.AuditRecord;
import io.sorthub.hub.journal.DevicesRecord;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.OutletStateRecord;
import io.sorthub.hub.journal.PlanRecord;
import io.sorthub.hub.journal.SourceResetRecord;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceSession;
import io.sorthub.hub.source.SourceState;
import io.sorthub.kit.time.Clocks;
import io.sorthub.protocol.ErrorCode;
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
    private final JournalProxy journal;
    private final SourceRegistry sources;
    private final io.sorthub.hub.metrics.HubMetrics metrics;
    private final java.util.function.Consumer<SortPlan> onInstalled;
    private final Clocks clocks;

    /** @param clocks plan versions (epoch ms), records' times (epoch ns), the reset's deadline (monotonic) */
    public HubControl(SortPlanHolder plans, OutletStates outlets, JournalProxy journal, SourceRegistry sources,
                      io.sorthub.hub.metrics.HubMetrics metrics, java.util.function.Consumer<SortPlan> onInstalled,
                      Clocks clocks) {
        this.clocks = clocks;
        this.plans = plans;
        this.outlets = outlets;
        this.journal = journal;
        this.sources = sources;
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
        final long version = Math.max(clocks.epoch().time(), plans.current().version() + 1);
        final SortPlan plan;
        try {
            plan = new SortPlanCompiler().compile(text, version);
        } catch (SortPlanException e) {
            metrics.planRejected();
            throw e;
        }
        journal(PlanRecord.encode(version, text, clocks.epochNanos().nanoTime()), "sort plan " + version);
        journal(AuditRecord.encode(actor, "installed sort plan '" + plan.name() + "' version " + version,
            clocks.epochNanos().nanoTime()), "audit record");
        plans.swap(plan);
        metrics.planReloaded();
        onInstalled.accept(plan);
        LOG.info("sort plan '{}' version {} in force ({} rules, {} warnings), by {}", plan.name(), version,
            plan.rules().size(), plan.warnings().size(), actor);
        return plan;
    }

    /** Set an outlet's state (e.g. an operator marks a chute full), journaled first. */
    public void setOutlet(int outlet, OutletStatus status, String actor) {
        journal(OutletStateRecord.encode(outlet, status.code(), clocks.epochNanos().nanoTime(), actor),
            "outlet " + outlet + " state");
        outlets.set(outlet, status);
        LOG.info("outlet {} set {} by {}", outlet, status.label(), actor);
    }

    /** A hub pair's active: journal the device credentials (digests only), so the standbys take them. */
    public void replicateDevices(String digestsYaml) {
        journal(DevicesRecord.encode(digestsYaml, clocks.epochNanos().nanoTime()), "device credentials");
    }

    /** Journal an audit record of an operator's or admin's action (who, what, when). */
    public void audit(String actor, String action) {
        journal(AuditRecord.encode(actor, action, clocks.epochNanos().nanoTime()), "audit record");
    }

    /** What a source reset did. */
    public record SourceReset(int sourceId, long previousSequence, long journalIndex) {
    }

    /**
     * Start a source again at sequence 1: the answer to a source whose numbering went back
     * (a wiped or replaced gateway spool, a second gateway given the same source id), which
     * the hub would otherwise answer DUPLICATE for ever. Its live session is closed first and
     * every record it queued is journaled; then a reset record is journaled, and from there on
     * (replay included) the source's sequences count from 1. New sessions of the source are
     * refused while this runs.
     *
     * @return null when the hub has never seen the source
     * @throws IllegalStateException when the source's last events do not reach the journal in time
     */
    public synchronized SourceReset resetSource(int sourceId, String actor) {
        final SourceState source = sources.find(sourceId);
        if (source == null) {
            return null;
        }
        source.resetting(true);
        try {
            // Every record the source put on the queue must be journaled before the reset record,
            // or an old high sequence would land after it.
            final long deadline = clocks.nanos().nanoTime() + TimeUnit.SECONDS.toNanos(10);
            SourceSession closed = null;
            while (source.hasSession() || source.inFlight() > 0) {
                final SourceSession live = source.session();
                if (live != null && live != closed) { // a HELLO that raced the flag is closed too
                    live.close(ErrorCode.UNAVAILABLE, "source " + sourceId + " is being reset by " + actor
                        + "; reconnect to start again at sequence 1");
                    closed = live;
                }
                if (clocks.nanos().nanoTime() > deadline) {
                    throw new IllegalStateException("source " + sourceId + " still has a session or events on their "
                        + "way to the journal after 10 s; nothing was reset");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            final long previous = source.durableSequence();
            final long nowNs = clocks.epochNanos().nanoTime();
            final long index = await(journal.resetSource(sourceId, SourceResetRecord.encode(sourceId, previous, actor,
                nowNs)), "reset of source " + sourceId);
            journal(AuditRecord.encode(actor, "reset source " + sourceId + " (its sequences were at " + previous
                + "; they start again at 1)", nowNs), "audit record");
            LOG.warn("source {} reset by {}: its sequences were at {} and start again at 1", sourceId, actor, previous);
            return new SourceReset(sourceId, previous, index);
        } finally {
            source.resetting(false);
        }
    }

    private void journal(byte[] record, String what) {
        await(journal.append(record), what);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> done, String what) {
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while journaling " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not journal " + what + ": " + e, e);
        }
    }
}
