package io.sorthub.hub.ops;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * The hub's exceptions on the decision path, around the sort plan, for one event loop:
 * <ol>
 *   <li>a no-read whose parcel id an operator re-keyed is routed by the re-keyed barcode
 *       (decision flag {@link DecisionFlyweight#FLAG_REKEYED});</li>
 *   <li>a parcel on the hold list goes to the plan's intercept outlet (reason INTERCEPTED);</li>
 *   <li>else an override in force for the parcel or its destination sends it to the override's
 *       outlet unless that outlet is disabled (reason OVERRIDE).</li>
 * </ol>
 * Special answers (no-read, multi-read, invalid barcode) stay: without a barcode read there
 * is nothing to hold or override. Allocation-free: the re-keyed copy of a SCAN is built in a
 * scratch buffer of this instance.
 */
public final class DecisionExceptions {
    private final HubOps ops;
    private final Rekeys.Lookup lookup = new Rekeys.Lookup();
    /** Where a hold's reason lies, from the same generation of the list as the hold. */
    private final io.sorthub.hub.routing.Decision held = new io.sorthub.hub.routing.Decision();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final ScanFlyweight rekeyed = new ScanFlyweight();
    private final FrameError error = new FrameError();

    public DecisionExceptions(HubOps ops) {
        this.ops = ops;
    }

    /**
     * The SCAN to route: itself, or, for an unread parcel whose id was re-keyed, a copy that
     * carries the re-keyed barcode as a SORT_REQUEST. {@link #rekeyed(ScanFlyweight)} tells which.
     */
    public ScanFlyweight routed(ScanFlyweight scan, SortPlan plan) {
        final int kind = scan.kindCode();
        if (scan.parcelIdLength() == 0 || (kind != EventKind.SORT_REQUEST.code() && kind != EventKind.NO_READ.code())
            || !plan.unread(scan) || !ops.rekeys().find(scan.buffer(), scan.parcelIdOffset(), scan.parcelIdLength(), lookup)) {
            return scan;
        }
        // The fixed fields as sent, the kind a sort request, no multi-read; then the variable fields
        // with the re-keyed barcode.
        scratch.putBytes(0, scan.buffer(), scan.offset(), ScanFlyweight.FIXED_LENGTH);
        scratch.putByte(ScanFlyweight.KIND_OFFSET, (byte) EventKind.SORT_REQUEST.code());
        scratch.putByte(ScanFlyweight.FLAGS_OFFSET, (byte) (scan.flags() & ~ScanFlyweight.FLAG_MULTI_READ));
        int at = ScanFlyweight.VAR_FIELDS_OFFSET;
        at = put(at, scan.buffer(), scan.scannerIdOffset(), scan.scannerIdLength());
        at = put(at, lookup.buffer, lookup.offset, lookup.length);
        at = put(at, scan.buffer(), scan.destinationOffset(), scan.destinationLength());
        at = put(at, scan.buffer(), scan.customerOffset(), scan.customerLength());
        at = put(at, scan.buffer(), scan.parcelIdOffset(), scan.parcelIdLength());
        scratch.putInt(Frame.LENGTH_OFFSET, at, BYTE_ORDER);
        rekeyed.wrap(scratch, 0);
        rekeyed.validate(error); // locates the variable fields; the bytes came from validated fields
        return rekeyed;
    }

    private int put(int at, DirectBuffer from, int offset, int length) {
        scratch.putByte(at, (byte) length);
        scratch.putBytes(at + 1, from, offset, length);
        return at + 1 + length;
    }

    /** True when {@code routed} is the re-keyed copy made by {@link #routed}. */
    public boolean rekeyed(ScanFlyweight routed) {
        return routed == rekeyed;
    }

    /**
     * After the plan decided {@code routed}: interception, then overrides. Marks a decision made
     * from a re-keyed barcode.
     */
    public void apply(ScanFlyweight routed, long nowMs, SortPlan plan, OutletStates outlets, Decision decision) {
        exceptions(routed, nowMs, plan, outlets, decision);
        if (routed == rekeyed) {
            decision.flags |= DecisionFlyweight.FLAG_REKEYED;
        }
    }

    private void exceptions(ScanFlyweight routed, long nowMs, SortPlan plan, OutletStates outlets, Decision decision) {
        final DecisionReason reason = decision.reason;
        // Past the recirculation limit the plan's answer (reject) stands: a parcel sent back to a
        // full intercept or override chute would circle the sorter for ever.
        if (reason == DecisionReason.RECORDED || reason == DecisionReason.NO_READ || reason == DecisionReason.MULTI_READ
            || reason == DecisionReason.INVALID_BARCODE || reason == DecisionReason.RECIRCULATION_LIMIT) {
            return;
        }
        final DirectBuffer b = routed.buffer();
        if (ops.holds().find(b, routed.barcodeOffset(), routed.barcodeLength(), held)) {
            decision.set(plan.interceptOutlet(), DecisionReason.INTERCEPTED, 0, plan.version());
            decision.note = held.note;
            decision.noteOffset = held.noteOffset;
            decision.noteLength = held.noteLength;
            return;
        }
        final int outlet = ops.overrides().outletFor(b, routed.barcodeOffset(), routed.barcodeLength(),
            routed.destinationOffset(), routed.destinationLength(), nowMs);
        // An override to a chute that cannot take the parcel now (full or disabled) gives way to
        // the plan, whose answer knows the alternates and overflow.
        if (outlet != 0 && plan.hasOutlet(outlet) && outlets.status(outlet) == OutletStatus.AVAILABLE) {
            decision.set(outlet, DecisionReason.OVERRIDE, 0, plan.version());
        }
    }

    /**
     * Count what the exceptions did to a decision, once the SCAN is accepted: a SCAN held back
     * (queue full, disk, in-flight bound) is decided again when it is retried, and must not be
     * counted twice.
     */
    public void count(Decision decision) {
        if (decision.reason == DecisionReason.INTERCEPTED) {
            ops.intercepted();
        } else if (decision.reason == DecisionReason.OVERRIDE) {
            ops.overrode();
        }
        if ((decision.flags & DecisionFlyweight.FLAG_REKEYED) != 0) {
            ops.routedByRekey();
        }
    }
}
