package io.sorthub.hub.routing;

import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled, immutable sort plan. Built by the plan compiler off the event loops
 * and swapped in whole. {@link #decide} is the hot path: it allocates nothing, and its cost
 * follows the destination's length and the few rules indexed on its prefixes, not the
 * number of rules in the plan; the answer is exactly the first matching rule in plan order.
 */
public final class SortPlan {
    private static final int NO_MATCH = Integer.MAX_VALUE;

    private final String name;
    private final long version;
    private final Map<Integer, Outlet> outlets;
    private final Map<String, int[]> groups;
    private final Rule[] rules;
    private final PrefixIndex destinations;
    private final PrefixIndex barcodes;
    private final int[] unindexed;
    private final int[] defaultTargets;
    private final int rejectOutlet;
    private final int overflowOutlet;
    private final int maxRecirculations;
    private final boolean checkDigits;
    private final NoReadWords noReadWords;
    private final int interceptOutlet;
    private final java.util.BitSet outletIds = new java.util.BitSet(0x1_0000);
    private final boolean timeRules;
    private final ZoneRules zone;
    private final String zoneId;
    private final Pattern[] patterns;
    private final List<String> warnings;
    private final String sourceText;
    private volatile ZoneWindow zoneWindow = new ZoneWindow(0, 0, 0);

    /**
     * @param version the version every decision of this plan carries
     * @param noReadWords what scanners send in place of a barcode when they read nothing
     * @param warnings things that are legal but probably not meant (e.g. a rule no parcel can reach)
     */
    public SortPlan(String name, long version, ZoneId zone, int maxRecirculations, boolean checkDigits,
                    NoReadWords noReadWords, PlanOutlets outlets, RuleTable rules, List<String> warnings, String sourceText) {
        this.name = name;
        this.version = version;
        this.outlets = outlets.outlets();
        this.groups = outlets.groups();
        this.rules = rules.rules().toArray(new Rule[0]);
        this.destinations = rules.destinations();
        this.barcodes = rules.barcodes();
        this.unindexed = rules.unindexed();
        this.defaultTargets = outlets.defaultTargets();
        this.rejectOutlet = outlets.rejectOutlet();
        this.overflowOutlet = outlets.overflowOutlet();
        this.maxRecirculations = maxRecirculations;
        this.checkDigits = checkDigits;
        this.noReadWords = noReadWords;
        this.interceptOutlet = outlets.interceptOutlet();
        outlets.outlets().keySet().forEach(outletIds::set);
        this.timeRules = rules.rules().stream().anyMatch(Rule::hasTimeWindow);
        this.zone = zone.getRules();
        this.zoneId = zone.getId();
        this.patterns = rules.patterns();
        this.warnings = List.copyOf(warnings);
        this.sourceText = sourceText;
    }

    /** Decide the outlet for one validated SCAN at hub time {@code nowMs}; allocation-free. */
    public Decision decide(ScanFlyweight scan, long nowMs, OutletStates states, Decision out) {
        return decide(scan, nowMs, states, out, null);
    }

    /** The same decision, recording what it considered (for the dry-run API). */
    public Decision explain(ScanFlyweight scan, long nowMs, OutletStates states, Decision out, RouteTrace trace) {
        return decide(scan, nowMs, states, out, trace);
    }

    private Decision decide(ScanFlyweight scan, long nowMs, OutletStates states, Decision out, RouteTrace trace) {
        final int kind = scan.kindCode();
        if (kind != EventKind.SORT_REQUEST.code() && kind != EventKind.NO_READ.code()) {
            return out.set(0, DecisionReason.RECORDED, 0, version);
        }
        final int barcodeLength = scan.barcodeLength();
        if (kind == EventKind.NO_READ.code() || barcodeLength == 0
            || noReadWords.matches(scan.buffer(), scan.barcodeOffset(), barcodeLength)) {
            return out.set(rejectOutlet, DecisionReason.NO_READ, 0, version);
        }
        if (scan.multiRead()) {
            return out.set(rejectOutlet, DecisionReason.MULTI_READ, 0, version);
        }
        if (!BarcodeCheck.valid(scan.buffer(), scan.barcodeOffset(), barcodeLength, checkDigits)) {
            return out.set(rejectOutlet, DecisionReason.INVALID_BARCODE, 0, version);
        }
        if (scan.recirculations() > maxRecirculations) {
            return out.set(rejectOutlet, DecisionReason.RECIRCULATION_LIMIT, 0, version);
        }
        final int minute = timeRules ? minuteOfDay(nowMs) : 0;
        // Candidates: rules on the destination's trie path, rules without a destination but
        // with barcode prefixes on the barcode's trie path, and the few rules with neither.
        int best = firstPassing(unindexed, NO_MATCH, scan, minute, out);
        final int[] path = out.path;
        int nodes = destinations.walk(scan.buffer(), scan.destinationOffset(), scan.destinationLength(), path);
        for (int i = 0; i < nodes; i++) {
            best = firstPassing(destinations.rulesAt(path[i]), best, scan, minute, out);
        }
        nodes = barcodes.walk(scan.buffer(), scan.barcodeOffset(), barcodeLength, path);
        for (int i = 0; i < nodes; i++) {
            best = firstPassing(barcodes.rulesAt(path[i]), best, scan, minute, out);
        }
        if (best == NO_MATCH) {
            return resolve(defaultTargets, DecisionReason.DEFAULT, 0, states, out, trace);
        }
        final Rule rule = rules[best];
        if (trace != null) {
            trace.matched(rule);
        }
        return resolve(rule.targets, DecisionReason.RULE, rule.id(), states, out, trace);
    }

    /** The first rule of {@code candidates} (ascending positions) below {@code best} that matches. */
    private int firstPassing(int[] candidates, int best, ScanFlyweight scan, int minute, Decision scratch) {
        for (int position : candidates) {
            if (position >= best) {
                return best;
            }
            if (rules[position].matchesResidual(scan, minute, scratch, this)) {
                return position;
            }
        }
        return best;
    }

    /** First available outlet of the target list; else the overflow outlet. */
    private Decision resolve(int[] targets, DecisionReason reason, int ruleId, OutletStates states, Decision out,
                             RouteTrace trace) {
        for (int i = 0; i < targets.length; i++) {
            final int outlet = targets[i];
            if (trace != null) {
                trace.considered(outlet, states.status(outlet));
            }
            if (states.available(outlet)) {
                return out.set(outlet, i == 0 ? reason : DecisionReason.ALTERNATE, ruleId, version);
            }
        }
        if (trace != null) {
            trace.considered(overflowOutlet, states.status(overflowOutlet));
        }
        return out.set(overflowOutlet, DecisionReason.OVERFLOW, ruleId, version);
    }

    Matcher matcher(Decision scratch, int index) {
        if (scratch.matchersFor != this) {
            scratch.matchers = new Matcher[patterns.length]; // once per event loop per plan
            scratch.matchersFor = this;
        }
        Matcher matcher = scratch.matchers[index];
        if (matcher == null) {
            matcher = patterns[index].matcher("");
            scratch.matchers[index] = matcher;
        }
        return matcher;
    }

    /** Minute of the day in the plan's time zone; the offset is looked up once per transition. */
    int minuteOfDay(long nowMs) {
        ZoneWindow window = zoneWindow;
        if (nowMs < window.fromMs || nowMs >= window.toMs) {
            window = ZoneWindow.at(zone, nowMs);
            zoneWindow = window;
        }
        return (int) Math.floorMod(Math.floorDiv(nowMs + window.offsetMs, 60_000L), 1440L);
    }

    /** A span of time with one UTC offset: rebuilt (allocating) only at DST changes. */
    private record ZoneWindow(long fromMs, long toMs, long offsetMs) {
        static ZoneWindow at(ZoneRules rules, long nowMs) {
            final Instant now = Instant.ofEpochMilli(nowMs);
            final long offset = rules.getOffset(now).getTotalSeconds() * 1000L;
            final var previous = rules.previousTransition(now);
            final var next = rules.nextTransition(now);
            return new ZoneWindow(previous == null ? Long.MIN_VALUE : previous.toEpochSecond() * 1000L,
                next == null ? Long.MAX_VALUE : next.toEpochSecond() * 1000L, offset);
        }
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

    public Map<String, int[]> groups() {
        return groups;
    }

    public List<Rule> rules() {
        return List.of(rules);
    }

    public int rejectOutlet() {
        return rejectOutlet;
    }

    /** Is {@code outlet} one of the plan's? Allocation-free. */
    public boolean hasOutlet(int outlet) {
        return outlet >= 0 && outlet < 0x1_0000 && outletIds.get(outlet);
    }

    /** Where a parcel on the hold list goes (拦截件): the plan's interceptOutlet, else its reject outlet. */
    public int interceptOutlet() {
        return interceptOutlet;
    }

    /**
     * True when this request carries no barcode the plan would route by: a NO_READ event, an
     * empty barcode, a no-read word, or several codes read. Allocation-free.
     */
    public boolean unread(ScanFlyweight scan) {
        final int barcodeLength = scan.barcodeLength();
        return scan.kindCode() == EventKind.NO_READ.code() || barcodeLength == 0 || scan.multiRead()
            || noReadWords.matches(scan.buffer(), scan.barcodeOffset(), barcodeLength);
    }

    public int overflowOutlet() {
        return overflowOutlet;
    }

    public int defaultOutlet() {
        return defaultTargets[0];
    }

    public boolean validatesCheckDigits() {
        return checkDigits;
    }

    public int maxRecirculations() {
        return maxRecirculations;
    }

    public String timeZone() {
        return zoneId;
    }

    /** Things that are legal but probably not meant, e.g. a rule no parcel can reach. */
    public List<String> warnings() {
        return warnings;
    }

    /** The plan file this was compiled from, as uploaded. */
    public String sourceText() {
        return sourceText;
    }
}
