package io.sorthub.hub.routing.compile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sorthub.test.FuzzChecks;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the sort-plan compiler (Jazzer), seeded with real plans in
 * {@code SortPlanCompilerFuzzTestInputs}. Any text compiles or is refused with a
 * {@link SortPlanException} whose every error names a line of the text, in bounded memory and time; a plan that
 * compiles then decides parcels made from the same bytes (barcode patterns included) without
 * failing and only ever to one of its own outlets.
 */
class SortPlanCompilerFuzzTest {
    static {
        // Load (and, when fuzzing, instrument) the YAML parser, the readers, time zones and
        // regular expressions once, before any input is measured: the first input that reaches
        // them would otherwise be charged with loading them (200 MB for a 662-byte plan).
        warmUp("name: warm-up\ntimeZone: Europe/Berlin\nrejectOutlet: 1\ndefaultOutlet: 1\noutlets: [{id: 1, type: reject}]\n"
            + "groups: [{id: G, outlets: [1]}]\nrules:\n  - {id: 1, destinationRange: ['10', '19'], serviceClass: express, "
            + "barcodePattern: '^A', customer: C, weightGrams: {max: 5, unweighed: true}, maxDimensionMm: unmeasured, "
            + "time: {from: '01:00', to: '02:00'}, group: G}\n  - {id: 2, barcodePrefix: X, outlet: 1}\n");
        warmUp("rules: [{id: 1, outlet: ~, x: &a 1, y: *a, z: !!str 1}, {id: 0x1, time: {from: 25:00}}]\n---\n");
        warmUp("rules: [");
    }

    private static void warmUp(String text) {
        try {
            new SortPlanCompiler().compile(text, 1);
        } catch (SortPlanException e) {
            // refused, as some of these are meant to be
        }
    }

    private final SortPlanCompiler compiler = new SortPlanCompiler();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
    private final ScanFlyweight scan = new ScanFlyweight();
    private final Decision decision = new Decision();

    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyTextCompilesOrIsRefusedWithItsPlace(byte[] input) {
        final SortPlan plan = (SortPlan) FuzzChecks.parsesOrExplains(input, null, SortPlanException.class,
            (text, name) -> {
                try {
                    return compiler.compile(text, 1);
                } catch (SortPlanException e) {
                    assertErrorsPointIntoTheText(e, text);
                    throw e;
                }
            });
        if (plan == null) {
            return;
        }
        final OutletStates states = new OutletStates();
        final String text = FuzzChecks.text(input);
        for (int i = 0; i < 4; i++) {
            final String barcode = ascii(text, i * 7, 20);
            final String destination = ascii(text, i * 5 + 3, 8);
            scan.wrapForEncode(frame, 0).sequence(i + 1).kind(EventKind.SORT_REQUEST).weightGrams(i * 900)
                .dimensionsMm(i * 300, 200, 100).strings("fuzz", barcode, destination, ascii(text, i, 6));
            plan.decide(scan, i * 21_600_000L, states, decision);
            assertThat(decision.reason).isNotNull();
            assertThat(decision.outlet == 0 || plan.outlets().containsKey(decision.outlet))
                .as("decided outlet %d is in the plan", decision.outlet).isTrue();
        }
    }

    /** Every error names a line of the text (1 for something missing), and there are at most a hundred of them. */
    private static void assertErrorsPointIntoTheText(SortPlanException e, String text) {
        final long lines = 1 + text.chars().filter(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029).count();
        assertThat(e.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(Problems.MAX_ERRORS);
        for (PlanError error : e.errors()) {
            assertThat(error.line()).as("line of %s", error).isBetween(1, (int) Math.min(Integer.MAX_VALUE, lines));
            assertThat(error.message()).isNotBlank();
        }
    }

    /** Printable ASCII taken from the input, as a scanner would deliver it. */
    private static String ascii(String text, int from, int max) {
        final StringBuilder out = new StringBuilder(max);
        for (int i = from; i < text.length() && out.length() < max; i++) {
            final char c = text.charAt(i);
            if (c > ' ' && c < 127) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
