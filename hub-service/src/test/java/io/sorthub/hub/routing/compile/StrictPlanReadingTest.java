package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every way a plan used to load while meaning something other than its text: each is now
 * refused with its line, or read exactly as written.
 */
class StrictPlanReadingTest {
    private static final String HEAD = """
        rejectOutlet: 99
        defaultOutlet: 98
        validateCheckDigits: false
        outlets: [{id: 1}, {id: 2}, {id: 31}, {id: 98, type: overflow}, {id: 99, type: reject}]
        rules:
        """; // rules start on line 6

    private final SortPlanCompiler compiler = new SortPlanCompiler();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final Decision decision = new Decision();

    private SortPlanException refused(String yaml) {
        final SortPlanException e = catchThrowableOfType(SortPlanException.class, () -> compiler.compile(yaml, 1));
        assertThat(e).as("refused: %s", yaml).isNotNull();
        return e;
    }

    private void refused(String yaml, String... fragments) {
        assertThat(refused(yaml).getMessage()).contains(fragments);
    }

    private int ruleFor(SortPlan plan, String barcode, String destination, String customer) {
        new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST).weightGrams(500)
            .dimensionsMm(100, 100, 100).strings("T", barcode, destination, customer);
        final ScanFlyweight scan = new ScanFlyweight().wrap(buffer, 0);
        assertThat(scan.validate(new FrameError())).isZero();
        return plan.decide(scan, 0L, new OutletStates(), decision).ruleId;
    }

    @Test
    void aConditionSetToNullIsRefusedNotDropped() {
        refused(HEAD + "  - {id: 1, destinationPrefix: null, outlet: 1}\n",
            "line 6: rules[0] (rule 1): destinationPrefix: has no value (null); give one, or leave the field out");
        refused(HEAD + "  - {id: 1, customer: ~, outlet: 1}\n", "line 6", "customer: has no value");
        refused(HEAD + "  - {id: 1, weightGrams: ~, outlet: 1}\n", "line 6", "weightGrams: has no value");
        refused(HEAD + "  - {id: 1, time: ~, outlet: 1}\n", "line 6", "time: has no value");
        refused(HEAD + "  - {id: 1, barcodePattern: ~, outlet: 1}\n", "line 6", "barcodePattern: has no value");
        refused(HEAD + "  - id: 1\n    serviceClass:\n    outlet: 1\n", "line 7", "serviceClass: has no value");
        refused(HEAD + "  - {id: 1, destinationPrefix: [\"5\", ~], outlet: 1}\n", "destinationPrefix[1]: has no value");
        refused(HEAD.replace("defaultOutlet: 98", "defaultOutlet: ~"), "line 2: defaultOutlet: has no value");
    }

    @Test
    void quotedNullIsJustText() throws Exception {
        final SortPlan plan = compiler.compile(HEAD + "  - {id: 1, customer: \"null\", outlet: 1}\n", 1);
        assertThat(ruleFor(plan, "B1", "5", "null")).isEqualTo(1);
        assertThat(ruleFor(plan, "B1", "5", "")).isZero();
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithBothLines() {
        refused(HEAD + "  - {id: 1, destinationPrefix: \"5\", destinationPrefix: \"6\", outlet: 1}\n",
            "line 6: rules[0]: 'destinationPrefix' is given twice (first on line 6); say it once");
        refused(HEAD + "  - id: 1\n    outlet: 1\n    destinationPrefix: \"5\"\n    outlet: 2\n",
            "line 9: rules[0]: 'outlet' is given twice (first on line 7)");
        refused(HEAD.replace("defaultOutlet: 98\n", "defaultOutlet: 98\ndefaultOutlet: 1\n"),
            "line 3: 'defaultOutlet' is given twice (first on line 2)");
    }

    @Test
    void codesAreTextAsWrittenNotYaml11Values() throws Exception {
        final SortPlan plan = compiler.compile(HEAD + """
              - {id: 1, destinationPrefix: 0123, outlet: 1}
              - {id: 2, customer: NO, outlet: 1}
              - {id: 3, barcodePrefix: ON, outlet: 1}
              - {id: 4, destinationPrefix: 5.10, outlet: 1}
              - {id: 5, destinationPrefix: 0x1F, outlet: 1}
              - {id: 6, destinationPrefix: 1_000, outlet: 1}
              - {id: 7, destinationPrefix: 0755, outlet: 1}
              - {id: 8, customer: [yes, off, TRUE], outlet: 1}
            """, 1);
        assertThat(ruleFor(plan, "B1", "0123", "")).isEqualTo(1);
        assertThat(ruleFor(plan, "B1", "83", "")).as("not octal").isZero();
        assertThat(ruleFor(plan, "B1", "9", "NO")).isEqualTo(2);
        assertThat(ruleFor(plan, "B1", "9", "false")).isZero();
        assertThat(ruleFor(plan, "ON123", "9", "")).isEqualTo(3);
        assertThat(ruleFor(plan, "true123", "9", "")).isZero();
        assertThat(ruleFor(plan, "B1", "5.10", "")).isEqualTo(4);
        assertThat(ruleFor(plan, "B1", "5.1", "")).isZero();
        assertThat(ruleFor(plan, "B1", "0x1F", "")).isEqualTo(5);
        assertThat(ruleFor(plan, "B1", "31", "")).isZero();
        assertThat(ruleFor(plan, "B1", "1_000", "")).isEqualTo(6);
        assertThat(ruleFor(plan, "B1", "1000", "")).isZero();
        assertThat(ruleFor(plan, "B1", "0755", "")).isEqualTo(7);
        assertThat(ruleFor(plan, "B1", "493", "")).isZero();
        assertThat(ruleFor(plan, "B1", "9", "off")).isEqualTo(8);
        assertThat(ruleFor(plan, "B1", "9", "TRUE")).isEqualTo(8);
    }

    @Test
    void numbersAndBooleansTheYamlDialectsDisagreeOnAreRefused() {
        refused(HEAD + "  - {id: 1, outlet: 0x1F}\n", "line 6", "outlet: '0x1F' is not a whole number");
        refused(HEAD + "  - {id: 1, outlet: 031}\n", "outlet: '031' has a leading zero", "write 31");
        refused(HEAD + "  - {id: 1_000, outlet: 1}\n", "id: '1_000' is not a whole number");
        refused(HEAD + "  - {id: 1, weightGrams: {max: 5.10}, outlet: 1}\n", "weightGrams.max: '5.10' is not a whole number");
        refused(HEAD + "  - {id: 1, time: {from: 14:00, to: 1:00:00}, outlet: 1}\n", "time.to: '1:00:00' is not a time of day");
        refused(HEAD.replace("validateCheckDigits: false", "validateCheckDigits: no"),
            "line 3: validateCheckDigits: expected true or false, not 'no'");
        refused(HEAD.replace("validateCheckDigits: false", "validateCheckDigits: on"), "expected true or false, not 'on'");
    }

    @Test
    void unquotedTimesAreTimesNotSexagesimalNumbers() throws Exception {
        final SortPlan plan = compiler.compile(HEAD.replace("rejectOutlet", "timeZone: UTC\nrejectOutlet")
            + "  - {id: 1, time: {from: 14:00, to: 2:00}, outlet: 1}\n", 1);
        new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST).strings("T", "B1", "5", "");
        final ScanFlyweight scan = new ScanFlyweight().wrap(buffer, 0);
        assertThat(scan.validate(new FrameError())).isZero();
        assertThat(plan.decide(scan, 15 * 3_600_000L, new OutletStates(), decision).ruleId).isEqualTo(1);
        assertThat(plan.decide(scan, 3 * 3_600_000L, new OutletStates(), decision).ruleId).isZero();
    }

    @Test
    void aSecondDocumentIsRefusedWhereItStarts() {
        refused(HEAD + "  - {id: 1, outlet: 1}\n---\nrules: []\n",
            "line 7: a second YAML document starts here; a sort plan is one document");
        refused(HEAD + "  - {id: 1, outlet: 1}\n...\n---\n", "line 8: a second YAML document");
    }

    @Test
    void valuesOutOfTheirRangeSayTheRange() {
        refused(HEAD + "  - {id: 1, maxDimensionMm: {min: 70000}, outlet: 1}\n",
            "line 6: rules[0] (rule 1): maxDimensionMm.min: 70000 is out of range 0..65535");
        refused(HEAD + "  - {id: 1, weightGrams: {min: 2147483648}, outlet: 1}\n",
            "weightGrams.min: 2147483648 is out of range 0..2147483647");
        refused(HEAD + "  - {id: 1, weightGrams: {min: 99999999999999999999999}, outlet: 1}\n", "is out of range 0..2147483647");
        refused(HEAD + "  - {id: 2147483648, outlet: 1}\n", "id: 2147483648 is out of range 1..2147483647");
        refused(HEAD.replace("rejectOutlet: 99", "rejectOutlet: 99\nmaxRecirculations: 255"), "maxRecirculations: 255 is out of range 0..254");
    }

    @Test
    void topLevelErrorsNameTheirLine() {
        refused("timezone: UTC\n" + HEAD, "line 1: unknown field 'timezone'; expected one of [");
        refused(HEAD.replace("defaultOutlet: 98", "defaultOutlet: 55"), "line 2: defaultOutlet: unknown outlet 55");
        refused("timeZone: Mars/Olympus\n" + HEAD, "line 1: timeZone: 'Mars/Olympus' is not a time zone");
        refused(HEAD.replace("outlets: [", "outlets: 5\nx: [").replace("rules:\n", "rules: {a: 1}\n"),
            "line 4: outlets: expected a list of outlets", "line 5: unknown field 'x'", "line 6: rules: expected a list of rules");
    }

    @Test
    void anUnknownKeyInsideAConditionIsNamed() {
        refused(HEAD + "  - {id: 1, time: {from: \"14:00\", until: \"16:00\"}, outlet: 1}\n",
            "line 6: rules[0] (rule 1): time: unknown field 'until'; expected one of [from, to]");
        refused(HEAD + "  - {id: 1, weightGrams: {maximum: 5}, outlet: 1}\n", "weightGrams: unknown field 'maximum'");
    }

    @Test
    void anchorsAliasesAndTagsAreRefused() {
        refused(HEAD + "  - &r {id: 1, outlet: 1}\n  - *r\n", "line 6", "anchors (&r)", "line 7", "aliases (*r)");
        refused(HEAD + "  - {id: 1, destinationPrefix: !!str 518, outlet: 1}\n", "tags (tag:yaml.org,2002:str)");
    }

    @Test
    void theMeasureConditionsSayWhatTheyAccept() {
        refused(HEAD + "  - {id: 1, weightGrams: {}, outlet: 1}\n", "weightGrams: give min, max or both");
        refused(HEAD + "  - {id: 1, weightGrams: heavy, outlet: 1}\n", "weightGrams: expected {min: N, max: N}");
        refused(HEAD + "  - {id: 1, weightGrams: {max: 10, unweighed: yes}, outlet: 1}\n", "weightGrams.unweighed: expected true or false");
        refused(HEAD + "  - {id: 1, maxDimensionMm: unweighed, outlet: 1}\n", "maxDimensionMm: expected");
    }

    @Test
    void everyErrorIsReportedInOnePass() {
        final SortPlanException e = refused("timezone: UTC\n" + HEAD + """
              - {id: 1, destinationPrefix: ~, outlet: 1}
              - {id: 2, outlet: 4}
              - {id: 3, time: {from: "14:00", until: "15:00"}, outlet: 1}
              - {id: 3, outlet: 1}
            """);
        assertThat(e.lines()).containsExactly(
            "line 1: unknown field 'timezone'; expected one of [defaultOutlet, groups, interceptOutlet, maxRecirculations, name, noReadWords, outlets, "
                + "overflowOutlet, rejectOutlet, rules, timeZone, validateCheckDigits]",
            "line 7: rules[0] (rule 1): destinationPrefix: has no value (null); give one, or leave the field out",
            "line 8: rules[1] (rule 2): outlet: unknown outlet 4",
            "line 9: rules[2] (rule 3): time: unknown field 'until'; expected one of [from, to]",
            "line 10: rules[3] (rule 3): rule id 3 is also used on line 9");
        assertThat(e.getMessage()).startsWith("5 errors:\nline 1: unknown field 'timezone'");
    }

    @Test
    void errorsAreBoundedToTheFirstHundred() {
        final StringBuilder yaml = new StringBuilder(HEAD);
        for (int i = 1; i <= 250; i++) {
            yaml.append("  - {id: ").append(i).append(", outlet: 7}\n");
        }
        final SortPlanException e = refused(yaml.toString());
        assertThat(e.errors()).hasSize(Problems.MAX_ERRORS);
        assertThat(e.notShown()).isEqualTo(150);
        assertThat(e.lines()).last().isEqualTo("... and 150 more errors not shown");
        assertThat(e.getMessage()).startsWith("250 errors:\nline 6: rules[0] (rule 1): outlet: unknown outlet 7");
    }

    @Test
    void boundsAreCheckedBeforeParsing() {
        final String longLine = "  - {id: 1, destinationPrefix: [" + "\"1\", ".repeat(4000) + "\"2\"], outlet: 1}";
        refused(HEAD + longLine + "\n", String.format("line 6: the line is %,d characters long; a plan line may be at most 16,384",
            longLine.length()));
        final String twoByteCharacters = ("# " + "é".repeat(8000) + "\n").repeat(1100);
        assertThat(twoByteCharacters.length()).isLessThan(PlanLimits.MAX_PLAN_BYTES);
        refused(twoByteCharacters + HEAD, String.format("line 1: the plan is %,d bytes; a sort plan may be at most 16,777,216 bytes",
            1100 * (2 + 16_000 + 1) + HEAD.length()));
        final StringBuilder many = new StringBuilder(HEAD);
        for (int i = 1; i <= PlanLimits.MAX_LIST_ITEMS + 1; i++) {
            many.append("- ").append(i).append('\n');
        }
        refused(many.toString().replace("rules:\n", "rules:\n"), "line 6: rules: more than 200,000 items");
    }

    /**
     * A one-line plan of 40 MB took minutes to refuse (the YAML scanner is quadratic in an
     * unbroken run of characters); now the bounds refuse it before any parsing.
     */
    @Test
    @Timeout(60) // refused before parsing: a runaway would take minutes
    void aHugeOneLinePlanIsRefusedAtOnce() {
        final String plan = "{rules: [" + "{id: 1, outlet: 1}, ".repeat(2_000_000) + "]}";
        refused(plan, "line 1: the plan is at least 40,000,011 bytes; a sort plan may be at most 16,777,216 bytes");
        final String line = "name: " + "x".repeat(PlanLimits.MAX_PLAN_BYTES - 100);
        refused(line, "line 1: the line is 16,777,122 characters long");
    }

    /**
     * The worst plan inside the bounds: 16 MiB of maximal unbroken runs is still parsed
     * linearly. Quadratic parsing of it took CPU-minutes; bounded it takes a second or two. The
     * time is a figure for SECURITY.md, not an assertion: only a runaway fails.
     */
    @Test
    @Timeout(120)
    void theWorstPlanInsideTheBoundsIsRefusedWithoutRunningAway() {
        final StringBuilder plan = new StringBuilder(PlanLimits.MAX_PLAN_BYTES);
        final String run = "x".repeat(PlanLimits.MAX_LINE_CHARS - 10);
        int line = 0;
        while (plan.length() + run.length() + 20 < PlanLimits.MAX_PLAN_BYTES) {
            plan.append("k").append(line++).append(": ").append(run).append('\n');
        }
        refused(plan.toString(), "line 1: unknown field 'k0'");
    }

    @Test
    void theErrorListIsWhatTheExceptionCarries() {
        final SortPlanException e = refused(HEAD + "  - {id: 1, outlet: 7}\n");
        assertThat(e.errors()).containsExactly(new PlanError(6, "rules[0] (rule 1): outlet", "unknown outlet 7"));
        assertThat(e.getMessage()).isEqualTo("line 6: rules[0] (rule 1): outlet: unknown outlet 7");
        assertThat(e.in("plan.yaml").getMessage()).isEqualTo("plan.yaml: line 6: rules[0] (rule 1): outlet: unknown outlet 7");
        assertThat(List.of(e.lines().get(0))).containsExactly("line 6: rules[0] (rule 1): outlet: unknown outlet 7");
    }
}
