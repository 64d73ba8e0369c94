package io.sorthub.hub.routing;

import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A SORT_REQUEST whose barcode is a scanner's no-read word is a no-read, in any letter case. */
class NoReadWordsTest {
    private static final String PLAN = """
        rejectOutlet: 99
        defaultOutlet: 90
        outlets: [{id: 90}, {id: 99, type: reject}]
        """;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);

    private Decision decide(SortPlan plan, String barcode) {
        new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST)
            .strings("T", barcode, "", "");
        final ScanFlyweight scan = new ScanFlyweight().wrap(buffer, 0);
        assertThat(scan.validate(new FrameError())).isZero();
        return plan.decide(scan, 0, new OutletStates(), new Decision());
    }

    private static SortPlan compile(String yaml) throws SortPlanException {
        return new SortPlanCompiler().compile(yaml, 1);
    }

    @Test
    void theDefaultWordsAreNoReadsInAnyCase() throws Exception {
        final SortPlan plan = compile(PLAN);
        for (String word : new String[] {"NOREAD", "NoRead", "noread", "No_Read"}) {
            final Decision d = decide(plan, word);
            assertThat(d.reason).as(word).isEqualTo(DecisionReason.NO_READ);
            assertThat(d.outlet).isEqualTo(99);
        }
        assertThat(decide(plan, "NOREADS").reason).as("a longer code is a code").isEqualTo(DecisionReason.DEFAULT);
        assertThat(decide(plan, "NOREA").reason).isEqualTo(DecisionReason.DEFAULT);
    }

    @Test
    void aPlanNamesItsOwnWordsOrNone() throws Exception {
        final SortPlan own = compile(PLAN + "noReadWords: [FAIL, \"???\"]\n");
        assertThat(decide(own, "fail").reason).isEqualTo(DecisionReason.NO_READ);
        assertThat(decide(own, "???").reason).isEqualTo(DecisionReason.NO_READ);
        assertThat(decide(own, "NOREAD").reason).as("the defaults are replaced").isEqualTo(DecisionReason.DEFAULT);

        final SortPlan none = compile(PLAN + "noReadWords: []\n");
        assertThat(decide(none, "NOREAD").reason).isEqualTo(DecisionReason.DEFAULT);
    }

    @Test
    void aWordTheHubCouldNeverSeeAsABarcodeIsRefused() {
        assertThatThrownBy(() -> compile(PLAN + "noReadWords: [\"NO READ\"]\n"))
            .hasMessageContaining("noReadWords[0]: 'NO READ' must be 1 to 64 printable ASCII characters");
    }
}
