package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.MeasureCondition;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.TimeWindow;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class UnreachableRulesTest {
    private static final String HEAD = """
        rejectOutlet: 1
        defaultOutlet: 1
        outlets: [{id: 1}, {id: 2}]
        rules:
        """;

    private static SortPlan compile(String rules) throws SortPlanException {
        return new SortPlanCompiler().compile(HEAD + rules, 1);
    }

    @Test
    void unreachableRuleIsAWarningWithBothLines() throws Exception {
        final SortPlan warned = compile("""
              - {id: 10, destinationPrefix: "51", outlet: 1}
              - {id: 11, destinationPrefix: "518", serviceClass: express, outlet: 2}
              - {id: 12, destinationPrefix: "52", weightGrams: {max: 100}, outlet: 2}
              - {id: 13, destinationPrefix: "520", weightGrams: {max: 500}, outlet: 1}
            """);
        assertThat(warned.warnings()).containsExactly(
            "rule 11 (line 6) is unreachable: rule 10 (line 5) comes first and matches every parcel it would");
    }

    @Test
    void anUnweighedParcelCanReachARuleAfterAWeightRange() throws Exception {
        assertThat(compile("""
              - {id: 1, destinationPrefix: "5", weightGrams: {max: 3000}, outlet: 1}
              - {id: 2, destinationPrefix: "51", weightGrams: {max: 1000, unweighed: true}, outlet: 2}
              - {id: 3, destinationPrefix: "52", weightGrams: unweighed, outlet: 2}
              - {id: 4, destinationPrefix: "53", weightGrams: {max: 1000}, outlet: 2}
            """).warnings()).containsExactly(
            "rule 4 (line 8) is unreachable: rule 1 (line 5) comes first and matches every parcel it would");
        assertThat(compile("""
              - {id: 1, destinationPrefix: "5", weightGrams: {max: 3000, unweighed: true}, outlet: 1}
              - {id: 2, destinationPrefix: "52", weightGrams: unweighed, outlet: 2}
            """).warnings()).hasSize(1);
    }

    @Test
    void timeWindowsCoverAcrossMidnight() throws Exception {
        assertThat(compile("""
              - {id: 1, destinationPrefix: "5", time: {from: "20:00", to: "06:00"}, outlet: 1}
              - {id: 2, destinationPrefix: "51", time: {from: "23:00", to: "01:00"}, outlet: 2}
              - {id: 3, destinationPrefix: "52", time: {from: "05:00", to: "07:00"}, outlet: 2}
              - {id: 4, destinationPrefix: "53", time: {from: "01:00", to: "05:59"}, outlet: 2}
            """).warnings()).containsExactly(
            "rule 2 (line 6) is unreachable: rule 1 (line 5) comes first and matches every parcel it would",
            "rule 4 (line 8) is unreachable: rule 1 (line 5) comes first and matches every parcel it would");
    }

    /** The interval arithmetic against the obvious minute-by-minute check. */
    @Test
    void windowContainmentAgreesWithCheckingEveryMinute() {
        final Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            final TimeWindow a = randomWindow(random);
            final TimeWindow b = randomWindow(random);
            boolean expected = true;
            for (int m = 0; m < TimeWindow.MINUTES_PER_DAY && expected; m++) {
                expected = !a.contains(m) || b.contains(m);
            }
            assertThat(a.within(b)).as("%s within %s", a, b).isEqualTo(expected);
        }
    }

    /** Containment of measure conditions against trying every value that matters. */
    @Test
    void measureContainmentIsNeverWrongInTheUnsafeDirection() {
        final Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            final MeasureCondition a = randomMeasure(random);
            final MeasureCondition b = randomMeasure(random);
            if (a.within(b)) {
                for (int v = -1; v <= 40; v++) {
                    assertThat(!a.matches(v) || b.matches(v)).as("%s within %s at %d", a, b, v).isTrue();
                }
            }
        }
    }

    private static TimeWindow randomWindow(Random random) {
        if (random.nextInt(10) == 0) {
            return TimeWindow.ANY;
        }
        final int from = random.nextInt(1440);
        int to;
        do {
            to = random.nextInt(1440);
        } while (to == from);
        return new TimeWindow(from, to);
    }

    private static MeasureCondition randomMeasure(Random random) {
        final int kind = random.nextInt(6);
        if (kind == 0) {
            return MeasureCondition.ANY;
        }
        if (kind == 1) {
            return MeasureCondition.UNMEASURED_ONLY;
        }
        final int min = random.nextInt(30);
        return new MeasureCondition(min, min + random.nextInt(30), random.nextBoolean());
    }
}
