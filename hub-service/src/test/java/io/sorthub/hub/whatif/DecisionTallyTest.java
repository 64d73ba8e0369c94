package io.sorthub.hub.whatif;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.protocol.DecisionReason;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionTallyTest {
    @Test
    void hoursCountedOutOfOrderStillAddUp() throws Exception {
        final DecisionTally tally = new DecisionTally(new SortPlanCompiler().compile(KnownTraffic.OLD, 0));
        final Decision now = new Decision();
        final long h = DecisionTally.HOUR_MS;
        // Two event loops' records interleave across an hour boundary.
        tally.record(10 * h + 5, 5, DecisionReason.RULE, now.set(6, DecisionReason.RULE, 10, 0));
        tally.record(11 * h + 1, 5, DecisionReason.RULE, now.set(5, DecisionReason.RULE, 10, 0));
        tally.record(10 * h + 9, 5, DecisionReason.RULE, now.set(6, DecisionReason.RULE, 10, 0));
        tally.record(11 * h + 2, 98, DecisionReason.DEFAULT, now.set(1, DecisionReason.RULE, 30, 0));
        final Map<String, String> cells = new TreeMap<>();
        tally.forEachHour((key, before, after) -> cells.put((key >> 16) + "/" + (key & 0xFFFF), before + ">" + after));
        assertThat(cells).containsExactlyInAnyOrderEntriesOf(Map.of(
            "10/5", "2>0", "10/6", "0>2", "11/5", "1>1", "11/98", "1>0", "11/1", "0>1"));
        assertThat(tally.parcels).isEqualTo(4);
        assertThat(tally.changedOutlet).isEqualTo(3);
        assertThat(tally.ruleHits).containsExactly(3, 0, 1);
    }
}
