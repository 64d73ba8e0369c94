package io.sorthub.hub.routing;

import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Map;

/**
 * A compiled, immutable sort plan. Built by {@link SortPlanCompiler} off the event loops and
 * swapped in whole; {@link #decide} is the hot path and allocates nothing.
 */
public final class SortPlan {
    private final String name;
    private final long version;
    private final Map<Integer, Outlet> outlets;
    private final Rule[] rules;
    private final PrefixTrie destinations;
    private final int defaultOutlet;
    private final int rejectOutlet;
    private final int maxRecirculations;
    private final String sourceText;

    SortPlan(String name, long version, Map<Integer, Outlet> outlets, List<Rule> rules, PrefixTrie destinations,
             int defaultOutlet, int rejectOutlet, int maxRecirculations, String sourceText) {
        this.name = name;
        this.version = version;
        this.outlets = Map.copyOf(outlets);
        this.rules = rules.toArray(new Rule[0]);
        this.destinations = destinations;
        this.defaultOutlet = defaultOutlet;
        this.rejectOutlet = rejectOutlet;
        this.maxRecirculations = maxRecirculations;
        this.sourceText = sourceText;
    }

    /** Decide the outlet for one validated SCAN; the answer goes into {@code out}. */
    public Decision decide(ScanFlyweight scan, Decision out) {
        final int kind = scan.kindCode();
        if (kind != EventKind.SORT_REQUEST.code() && kind != EventKind.NO_READ.code()) {
            return out.set(0, DecisionReason.RECORDED, 0, version);
        }
        final int barcodeLength = scan.barcodeLength();
        if (kind == EventKind.NO_READ.code() || barcodeLength == 0) {
            return out.set(rejectOutlet, DecisionReason.NO_READ, 0, version);
        }
        if (scan.multiRead()) {
            return out.set(rejectOutlet, DecisionReason.MULTI_READ, 0, version);
        }
        if (!printableAscii(scan.buffer(), scan.barcodeOffset(), barcodeLength)) {
            return out.set(rejectOutlet, DecisionReason.INVALID_BARCODE, 0, version);
        }
        if (scan.recirculations() > maxRecirculations) {
            return out.set(rejectOutlet, DecisionReason.RECIRCULATION_LIMIT, 0, version);
        }
        final int position = destinations.firstMatch(scan.buffer(), scan.destinationOffset(), scan.destinationLength());
        if (position == PrefixTrie.NO_MATCH) {
            return out.set(defaultOutlet, DecisionReason.DEFAULT, 0, version);
        }
        final Rule rule = rules[position];
        return out.set(rule.outlet(), DecisionReason.RULE, rule.id(), version);
    }

    private static boolean printableAscii(DirectBuffer buffer, int offset, int length) {
        for (int i = 0; i < length; i++) {
            final byte b = buffer.getByte(offset + i);
            if (b < 0x21 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public Map<Integer, Outlet> outlets() {
        return outlets;
    }

    public List<Rule> rules() {
        return List.of(rules);
    }

    public int defaultOutlet() {
        return defaultOutlet;
    }

    public int rejectOutlet() {
        return rejectOutlet;
    }

    public int maxRecirculations() {
        return maxRecirculations;
    }

    /** The plan file this was compiled from, as uploaded. */
    public String sourceText() {
        return sourceText;
    }
}
