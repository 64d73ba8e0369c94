package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortPlanCompilerTest {
    private static final String OUTLETS = """
        rejectOutlet: 99
        defaultOutlet: 98
        outlets:
          - {id: 1, name: a}
          - {id: 2, name: b}
          - {id: 98, type: overflow}
          - {id: 99, type: reject}
        """;

    private final SortPlanCompiler compiler = new SortPlanCompiler();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final Decision decision = new Decision();

    private Decision decide(SortPlan plan, EventKind kind, String barcode, String destination, int flags, int recirc) {
        new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(kind).flags(flags).recirculations(recirc)
            .strings("T", barcode, destination, "");
        final ScanFlyweight scan = new ScanFlyweight().wrap(buffer, 0);
        assertThat(scan.validate(new io.sorthub.protocol.FrameError())).isZero();
        return plan.decide(scan, 0L, new OutletStates(), decision);
    }

    @Test
    void firstMatchingRuleInPlanOrderWinsNotTheLongestPrefix() throws Exception {
        final SortPlan plan = compiler.compile(OUTLETS + """
            rules:
              - {id: 5, destinationPrefix: "51", outlet: 1}
              - {id: 6, destinationPrefix: "518", outlet: 2}
            """, 3);
        assertThat(decide(plan, EventKind.SORT_REQUEST, "B1", "518000", 0, 0))
            .satisfies(d -> {
                assertThat(d.outlet).isEqualTo(1);
                assertThat(d.ruleId).isEqualTo(5);
                assertThat(d.reason).isEqualTo(DecisionReason.RULE);
                assertThat(d.planVersion).isEqualTo(3);
            });
        assertThat(decide(plan, EventKind.SORT_REQUEST, "B1", "600000", 0, 0).reason).isEqualTo(DecisionReason.DEFAULT);
        assertThat(decision.outlet).isEqualTo(98);
    }

    @Test
    void specialCasesAlwaysHaveAnAnswer() throws Exception {
        final SortPlan plan = compiler.compile(OUTLETS + "maxRecirculations: 2\nrules: [{id: 1, destinationPrefix: '1', outlet: 1}]\n", 1);
        assertThat(decide(plan, EventKind.NO_READ, "", "", 0, 0).reason).isEqualTo(DecisionReason.NO_READ);
        assertThat(decision.outlet).isEqualTo(99);
        assertThat(decide(plan, EventKind.SORT_REQUEST, "", "100", 0, 0).reason).isEqualTo(DecisionReason.NO_READ);
        assertThat(decide(plan, EventKind.SORT_REQUEST, "A1", "100", ScanFlyweight.FLAG_MULTI_READ, 0).reason)
            .isEqualTo(DecisionReason.MULTI_READ);
        assertThat(decide(plan, EventKind.SORT_REQUEST, "A 1", "100", 0, 0).reason).isEqualTo(DecisionReason.INVALID_BARCODE);
        assertThat(decide(plan, EventKind.SORT_REQUEST, "A1", "100", 0, 3).reason).isEqualTo(DecisionReason.RECIRCULATION_LIMIT);
        assertThat(decision.outlet).isEqualTo(99);
        assertThat(decide(plan, EventKind.SORT_REQUEST, "A1", "100", 0, 2).reason).isEqualTo(DecisionReason.RULE);
        assertThat(decide(plan, EventKind.ARRIVAL, "A1", "100", 0, 0).reason).isEqualTo(DecisionReason.RECORDED);
        assertThat(decision.outlet).isZero();
    }

    @Test
    void compiledTrieAgreesWithAPlainFirstMatchEvaluator() throws Exception {
        final Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            final StringBuilder yaml = new StringBuilder(OUTLETS).append("rules:\n");
            final List<String[]> rules = new ArrayList<>();
            final int count = 1 + random.nextInt(200);
            for (int i = 0; i < count; i++) {
                final String prefix = digits(random, 1 + random.nextInt(4));
                final String outlet = random.nextBoolean() ? "1" : "2";
                rules.add(new String[] {String.valueOf(i + 1), prefix, outlet});
                yaml.append("  - {id: ").append(i + 1).append(", destinationPrefix: '").append(prefix)
                    .append("', outlet: ").append(outlet).append("}\n");
            }
            final SortPlan plan = compiler.compile(yaml.toString(), 1);
            for (int p = 0; p < 200; p++) {
                final String destination = digits(random, random.nextInt(7));
                int expectedRule = 0;
                int expectedOutlet = 98;
                for (String[] rule : rules) {
                    if (destination.startsWith(rule[1])) {
                        expectedRule = Integer.parseInt(rule[0]);
                        expectedOutlet = Integer.parseInt(rule[2]);
                        break;
                    }
                }
                decide(plan, EventKind.SORT_REQUEST, "B", destination, 0, 0);
                assertThat(decision.ruleId).as("rule for %s", destination).isEqualTo(expectedRule);
                assertThat(decision.outlet).isEqualTo(expectedOutlet);
            }
        }
    }

    private static String digits(Random random, int length) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('0' + random.nextInt(4)));
        }
        return sb.toString();
    }

    @Test
    void aHundredThousandRulePlanCompilesAndRoutesFirstMatch() throws Exception {
        final StringBuilder yaml = new StringBuilder(OUTLETS).append("rules:\n");
        for (int i = 1; i <= 100_000; i++) {
            yaml.append("  - {id: ").append(i).append(", destinationPrefix: '").append(String.format("%06d", i))
                .append("', outlet: ").append(i % 2 + 1).append("}\n");
        }
        yaml.append("  - {id: 100001, destinationPrefix: '0', outlet: 2}\n");
        final SortPlan plan = compiler.compile(yaml.toString(), 1);
        assertThat(plan.rules()).hasSize(100_001);
        decide(plan, EventKind.SORT_REQUEST, "B", "0123457", 0, 0);
        assertThat(decision.ruleId).isEqualTo(12_345);
        decide(plan, EventKind.SORT_REQUEST, "B", "0000000", 0, 0); // only the last rule, '0', matches
        assertThat(decision.ruleId).isEqualTo(100_001);
    }

    // --- bad plans: each names what is wrong and where ------------------------------------

    private void rejected(String yaml, String... fragments) {
        assertThatThrownBy(() -> compiler.compile(yaml, 1)).isInstanceOf(SortPlanException.class)
            .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void invalidYamlNamesTheLine() {
        rejected("name: x\noutlets: [\n  {id: 1\n", "not valid YAML", "line");
    }

    @Test
    void unknownOutletInARuleNamesTheRule() {
        rejected(OUTLETS + "rules: [{id: 7, destinationPrefix: '1', outlet: 3}]", "line 8: rules[0] (rule 7): outlet: unknown outlet 3");
    }

    @Test
    void missingRejectOrDefaultOutlet() {
        rejected("defaultOutlet: 1\noutlets: [{id: 1}]", "no rejectOutlet");
        rejected("rejectOutlet: 1\noutlets: [{id: 1}]", "no defaultOutlet");
        rejected("rejectOutlet: 5\ndefaultOutlet: 1\noutlets: [{id: 1}]", "rejectOutlet", "unknown outlet 5");
    }

    @Test
    void badFieldsAreNamed() {
        rejected(OUTLETS + "rules: [{id: 1, destinationPrefix: '1', outlet: 1, colour: red}]", "unknown field 'colour'");
        rejected(OUTLETS + "rules: [{id: 1, destinationPrefix: '', outlet: 1}]", "destinationPrefix: must not be empty");
        rejected(OUTLETS + "rules: [{id: 1, destinationPrefix: '1', outlet: 1}, {id: 1, destinationPrefix: '2', outlet: 1}]",
            "line 8: rules[1] (rule 1): rule id 1 is also used on line 8");
        rejected(OUTLETS + "rules: [{id: x, destinationPrefix: '1', outlet: 1}]", "line 8: rules[0]: id: 'x' is not a whole number");
        rejected("rejectOutlet: 1\ndefaultOutlet: 1\noutlets: [{id: 70000}]", "line 3: outlets[0]: id: 70000 is out of range 1..65535");
        rejected("rejectOutlet: 1\ndefaultOutlet: 1\noutlets: [{id: 1, type: chute}]", "unknown type 'chute'");
        rejected("rejectOutlet: 1\ndefaultOutlet: 1\noutlets: [{id: 1}, {id: 1}]", "defined twice");
        rejected("just a string", "must be a YAML mapping");
        rejected("rejectOutlet: 1\ndefaultOutlet: 1\noutlets: []", "no outlets");
    }
}
