package io.sorthub.hub.ops;

/**
 * The exceptions a hub runs on, beside its sort plan: the hold list (interception), the
 * supervisors' overrides, the re-keyed no-reads, the bags at the chutes. Rebuilt from the
 * journal at start like everything else; changed through the journal.
 */
public final class HubOps {
    private final HoldList holds = new HoldList();
    private final Overrides overrides = new Overrides();
    private final Rekeys rekeys = new Rekeys();
    private final Bags bags = new Bags();
    private final Confirmations confirmations;
    private final java.util.concurrent.atomic.LongAdder interceptions = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder overridden = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder rekeyed = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder unreadable = new java.util.concurrent.atomic.LongAdder();

    /** @param confirmTimeoutMs how long a decision waits for the sorter's confirmation (0: not tracked) */
    public HubOps(long confirmTimeoutMs) {
        this.confirmations = new Confirmations(confirmTimeoutMs);
    }

    /** Writer-owned: see {@link Confirmations}. */
    public Confirmations confirmations() {
        return confirmations;
    }

    public HoldList holds() {
        return holds;
    }

    public Overrides overrides() {
        return overrides;
    }

    public Rekeys rekeys() {
        return rekeys;
    }

    public Bags bags() {
        return bags;
    }

    /** Decisions changed by the hold list, by an override, routed by a re-keyed barcode (for the metrics). */
    public long interceptions() {
        return interceptions.sum();
    }

    public long overridden() {
        return overridden.sum();
    }

    public long rekeyed() {
        return rekeyed.sum();
    }

    /** Operator changes in the journal this hub could not apply (skipped, each logged). */
    public long changesUnreadable() {
        return unreadable.sum();
    }

    void changeUnreadable() {
        unreadable.increment();
    }

    void intercepted() {
        interceptions.increment();
    }

    void overrode() {
        overridden.increment();
    }

    void routedByRekey() {
        rekeyed.increment();
    }
}
