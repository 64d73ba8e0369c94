package io.sorthub.hub.routing;

import io.sorthub.protocol.DecisionReason;

import java.util.regex.Matcher;

/**
 * A mutable decision holder, one per event loop, filled in by {@link SortPlan#decide}.
 * Reused for every event so that a decision allocates nothing. It also carries that
 * thread's scratch: a char view over the barcode and reusable regex matchers.
 */
public final class Decision {
    public int outlet;
    public DecisionReason reason;
    public int ruleId;
    public long planVersion;
    /** Decision flags of protocol version 2 (DecisionFlyweight.FLAG_*); 0 unless set after {@link #set}. */
    public int flags;
    /**
     * The hold's reason of an INTERCEPTED decision, where it lies (the hold list's memory): the
     * journal record keeps it beside the decision. Unset by {@link #set}.
     */
    public org.agrona.DirectBuffer note;
    public int noteOffset;
    public int noteLength;

    final BoundedBarcodeView barcodeView = new BoundedBarcodeView();
    final int[] path = new int[64];
    Matcher[] matchers;
    SortPlan matchersFor;

    public Decision set(int outlet, DecisionReason reason, int ruleId, long planVersion) {
        this.outlet = outlet;
        this.reason = reason;
        this.ruleId = ruleId;
        this.planVersion = planVersion;
        this.flags = 0;
        this.note = null;
        this.noteLength = 0;
        return this;
    }

    @Override
    public String toString() {
        return "Decision[outlet=" + outlet + ", reason=" + reason + ", rule=" + ruleId + ", plan=" + planVersion + "]";
    }
}
