package io.sorthub.hub.routing;

import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.ServiceClass;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each condition, the special answers, and the alternates chain, one at a time. */
class SortPlanEngineTest {
    private static final String PLAN = """
        name: engine
        timeZone: Asia/Shanghai
        rejectOutlet: 99
        defaultOutlet: 90
        overflowOutlet: 98
        maxRecirculations: 2
        outlets:
          - {id: 1}
          - {id: 2}
          - {id: 3}
          - {id: 4}
          - {id: 5}
          - {id: 6}
          - {id: 7}
          - {id: 8}
          - {id: 11}
          - {id: 12}
          - {id: 90}
          - {id: 98, type: overflow}
          - {id: 99, type: reject}
        groups:
          - {id: BJ, outlets: [11, 12]}
        rules:
          - {id: 1, destinationPrefix: "100", serviceClass: express, outlet: 1}
          - {id: 2, destinationPrefix: "100", time: {from: "14:00", to: "02:00"}, outlet: 2}
          - {id: 3, destinationPrefix: "100", group: BJ}
          - {id: 4, destinationRange: ["200000", "202999"], weightGrams: {max: 5000}, outlet: 3}
          - {id: 5, destinationRange: ["200000", "202999"], outlet: 4}
          - {id: 6, barcodePrefix: [JD, JT], customer: [CUST-A], outlet: 5}
          - {id: 7, barcodePattern: "^SF[0-9]{12}$", outlet: 6}
          - {id: 8, maxDimensionMm: {min: 1200}, outlet: 7}
        """;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final Decision decision = new Decision();
    private final OutletStates states = new OutletStates();
    private SortPlan plan = compile(PLAN);

    private static SortPlan compile(String yaml) {
        try {
            return new SortPlanCompiler().compile(yaml, 5);
        } catch (SortPlanException e) {
            throw new AssertionError(e);
        }
    }

    private static long at(int hour, int minute) {
        return LocalDateTime.of(2026, 11, 23, hour, minute).atZone(ZoneId.of("Asia/Shanghai")).toInstant().toEpochMilli();
    }

    private final class Parcel {
        String barcode = "P1";
        String destination = "";
        String customer = "";
        int service = ServiceClass.STANDARD;
        int weight = 1000;
        int length = 300;
        int width = 100;
        int height = 100;
        long now = at(10, 0);

        Decision decide() {
            final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST)
                .serviceClass(service).weightGrams(weight).dimensionsMm(length, width, height)
                .strings("T", barcode, destination, customer);
            final ScanFlyweight read = new ScanFlyweight().wrap(buffer, 0);
            assertThat(read.validate(new FrameError())).isZero();
            return plan.decide(read, now, states, decision);
        }
    }

    private Parcel parcel(String destination) {
        final Parcel p = new Parcel();
        p.destination = destination;
        return p;
    }

    @Test
    void serviceClassThenTimeWindowThenGroup() {
        final Parcel p = parcel("100080");
        p.service = ServiceClass.EXPRESS;
        assertThat(p.decide().ruleId).isEqualTo(1);
        p.service = ServiceClass.STANDARD;
        assertThat(p.decide().ruleId).as("before the 14:00 cut-off").isEqualTo(3);
        assertThat(decision.outlet).isEqualTo(11);
        p.now = at(15, 0);
        assertThat(p.decide().ruleId).as("after the cut-off: next wave").isEqualTo(2);
        p.now = at(1, 30);
        assertThat(p.decide().ruleId).as("window across midnight").isEqualTo(2);
        p.now = at(2, 0);
        assertThat(p.decide().ruleId).as("window end is exclusive").isEqualTo(3);
    }

    @Test
    void fullOutletFallsToTheNextAlternateThenOverflow() {
        final Parcel p = parcel("100080");
        states.set(11, OutletStatus.FULL);
        assertThat(p.decide().outlet).isEqualTo(12);
        assertThat(decision.reason).isEqualTo(DecisionReason.ALTERNATE);
        assertThat(decision.ruleId).isEqualTo(3);
        states.set(12, OutletStatus.DISABLED);
        assertThat(p.decide().outlet).isEqualTo(98);
        assertThat(decision.reason).isEqualTo(DecisionReason.OVERFLOW);
        states.set(11, OutletStatus.AVAILABLE);
        assertThat(p.decide().outlet).isEqualTo(11);
        assertThat(decision.reason).isEqualTo(DecisionReason.RULE);
    }

    @Test
    void aDirectOutletInAGroupHasTheRestOfTheGroupAsAlternates() throws Exception {
        final SortPlan direct = new SortPlanCompiler().compile(PLAN.replace("group: BJ}", "outlet: 12}"), 6);
        states.set(12, OutletStatus.FULL);
        final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST)
            .strings("T", "P1", "100080", "");
        scan.validate(new FrameError());
        final RouteTrace trace = new RouteTrace();
        direct.explain(scan, at(10, 0), states, decision, trace);
        assertThat(decision.outlet).isEqualTo(11);
        assertThat(trace.considered()).extracting(RouteTrace.Considered::outlet).containsExactly(12, 11);
        assertThat(trace.rule().id()).isEqualTo(3);
        assertThat(trace.rule().line()).isEqualTo(26);
    }

    @Test
    void destinationRangeAndWeight() {
        final Parcel p = parcel("201500");
        assertThat(p.decide().ruleId).isEqualTo(4);
        p.weight = 5001;
        assertThat(p.decide().ruleId).isEqualTo(5);
        p.destination = "203000";
        assertThat(p.decide().reason).isEqualTo(DecisionReason.DEFAULT);
        assertThat(decision.outlet).isEqualTo(90);
        assertThat(decision.ruleId).isZero();
    }

    @Test
    void aWeightConditionNeverMatchesAnUnweighedParcelUnlessTheRuleSaysSo() throws Exception {
        final Parcel p = parcel("201500");
        p.weight = 0; // PROTOCOL.md: 0 = not weighed
        assertThat(p.decide().ruleId).as("{max: 5000} is about weighed parcels").isEqualTo(5);
        p.weight = -3;
        assertThat(p.decide().ruleId).as("no scale reports a negative weight: not weighed").isEqualTo(5);

        final SortPlan orUnweighed = new SortPlanCompiler().compile(PLAN.replace("{max: 5000}", "{max: 5000, unweighed: true}"), 6);
        p.weight = 0;
        assertThat(decideWith(orUnweighed, p).ruleId).isEqualTo(4);
        p.weight = 5001;
        assertThat(decideWith(orUnweighed, p).ruleId).isEqualTo(5);

        final SortPlan onlyUnweighed = new SortPlanCompiler().compile(PLAN.replace("weightGrams: {max: 5000}", "weightGrams: unweighed"), 6);
        p.weight = 0;
        assertThat(decideWith(onlyUnweighed, p).ruleId).isEqualTo(4);
        p.weight = 1;
        assertThat(decideWith(onlyUnweighed, p).ruleId).isEqualTo(5);
    }

    @Test
    void aSizeConditionNeverMatchesAnUnmeasuredParcelUnlessTheRuleSaysSo() throws Exception {
        final SortPlan small = new SortPlanCompiler().compile(PLAN.replace("maxDimensionMm: {min: 1200}", "maxDimensionMm: {max: 400}"), 6);
        final Parcel p = parcel("999");
        p.length = 300;
        assertThat(decideWith(small, p).ruleId).isEqualTo(8);
        p.length = 0; // with width and height 0 too: not measured
        p.width = 0;
        p.height = 0;
        assertThat(decideWith(small, p).reason).isEqualTo(DecisionReason.DEFAULT);
        final SortPlan orUnmeasured = new SortPlanCompiler().compile(
            PLAN.replace("maxDimensionMm: {min: 1200}", "maxDimensionMm: {max: 400, unmeasured: true}"), 6);
        assertThat(decideWith(orUnmeasured, p).ruleId).isEqualTo(8);
        final SortPlan onlyUnmeasured = new SortPlanCompiler().compile(
            PLAN.replace("maxDimensionMm: {min: 1200}", "maxDimensionMm: unmeasured"), 6);
        assertThat(decideWith(onlyUnmeasured, p).ruleId).isEqualTo(8);
        p.height = 5;
        assertThat(decideWith(onlyUnmeasured, p).reason).as("one measured side is a measurement").isEqualTo(DecisionReason.DEFAULT);
    }

    private Decision decideWith(SortPlan other, Parcel p) {
        final SortPlan saved = plan;
        try {
            plan = other;
            return p.decide();
        } finally {
            plan = saved;
        }
    }

    /**
     * A pattern that backtracks without end ((.*a){12}b takes ~0.4 s on 24 a's and grows as
     * n^12; Java's regex engine memoizes the classic (a+)+b, not this) is cut off after its
     * step budget instead of stalling the event loop: the rule does not match, the parcel goes
     * on down the plan, and the abandonment is counted.
     */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aRunawayBarcodePatternIsAbandonedNotLeftToStallTheEventLoop() {
        final SortPlan runaway = compile("""
            name: runaway
            rejectOutlet: 99
            defaultOutlet: 90
            outlets: [{id: 1}, {id: 2}, {id: 90}, {id: 99, type: reject}]
            rules:
              - {id: 1, barcodePattern: "(.*a){12}b", outlet: 1}
              - {id: 2, barcodePattern: "a+c", outlet: 2}
            """);
        final long before = Rule.patternsAbandoned();
        final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST)
            .strings("T", "a".repeat(40) + "c", "", "");
        final ScanFlyweight read = new ScanFlyweight().wrap(buffer, 0);
        assertThat(read.validate(new FrameError())).isZero();
        final Decision d = runaway.decide(read, at(10, 0), states, decision);
        assertThat(d.ruleId).as("rule 1 abandoned, rule 2 matches").isEqualTo(2);
        assertThat(d.outlet).isEqualTo(2);
        assertThat(Rule.patternsAbandoned()).isEqualTo(before + 1);
        // The same matcher is fine for the next parcel.
        new ScanFlyweight().wrapForEncode(buffer, 0).sequence(2).kind(EventKind.SORT_REQUEST).strings("T", "aaaaaaaaaaaab", "", "");
        assertThat(read.validate(new FrameError())).isZero();
        assertThat(runaway.decide(read, at(10, 0), states, decision).ruleId).isEqualTo(1);
    }

    @Test
    void barcodePrefixCustomerPatternAndDimension() {
        final Parcel p = parcel("999");
        p.barcode = "JT0001";
        assertThat(p.decide().reason).isEqualTo(DecisionReason.DEFAULT);
        p.customer = "CUST-A";
        assertThat(p.decide().ruleId).isEqualTo(6);
        p.barcode = "SF123456789012";
        assertThat(p.decide().ruleId).isEqualTo(7);
        p.barcode = "SF12345678901";
        assertThat(p.decide().reason).isEqualTo(DecisionReason.DEFAULT);
        p.length = 1500;
        assertThat(p.decide().ruleId).isEqualTo(8);
    }

    @Test
    void s10CheckDigitIsVerified() {
        final Parcel p = parcel("100080");
        p.barcode = "RR473124829CN"; // 4,7,3,1,2,4,8,2 -> check 9
        assertThat(p.decide().reason).isNotEqualTo(DecisionReason.INVALID_BARCODE);
        p.barcode = "RR473124828CN";
        assertThat(p.decide().reason).isEqualTo(DecisionReason.INVALID_BARCODE);
        assertThat(decision.outlet).isEqualTo(99);
    }

    @Test
    void badPlansNameTheProblem() {
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("^SF[0-9]{12}$", "^SF[0-9{12}$"), 1))
            .hasMessageContaining("line 30: rules[6] (rule 7): barcodePattern '^SF[0-9{12}$' is not a valid regular expression");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("group: BJ}", "group: SH}"), 1))
            .hasMessageContaining("line 26: rules[2] (rule 3): unknown group 'SH'");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("defaultOutlet: 90\n", ""), 1))
            .hasMessageContaining("no defaultOutlet");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("outlet: 7}", "outlet: 7, group: BJ}"), 1))
            .hasMessageContaining("rule 8").hasMessageContaining("exactly one of outlet or group");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("\"14:00\"", "\"25:00\""), 1))
            .hasMessageContaining("time.from: '25:00' is not a time of day");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("[\"200000\", \"202999\"], weight", "[\"2000\", \"202999\"], weight"), 1))
            .hasMessageContaining("destinationRange").hasMessageContaining("same length");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("serviceClass: express", "serviceClass: urgent"), 1))
            .hasMessageContaining("serviceClass 'urgent' is not one of");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("outlets: [11, 12]", "outlets: [11, 77]"), 1))
            .hasMessageContaining("line 22: groups[0] (group BJ): outlets[1]: unknown outlet 77");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("timeZone: Asia/Shanghai", "timeZone: Mars/Olympus"), 1))
            .hasMessageContaining("line 2: timeZone: 'Mars/Olympus' is not a time zone");
        assertThatThrownBy(() -> new SortPlanCompiler().compile(PLAN.replace("{max: 5000}", "{min: 6000, max: 5000}"), 1))
            .hasMessageContaining("weightGrams: min 6000 is above max 5000");
    }
}
