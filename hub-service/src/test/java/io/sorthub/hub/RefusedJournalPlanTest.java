package io.sorthub.hub;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.PlanRecord;
import io.sorthub.hub.routing.compile.SortPlanException;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plan a laxer reader once put in force (a condition set to null, read as "any") is in
 * the journal: the hub does not start on it silently, it says what is wrong and how to get
 * going again, and a corrected plan file newer than the journal's plan is taken.
 */
@Timeout(60)
class RefusedJournalPlanTest {
    private static final String LAX = """
        name: lax
        rejectOutlet: 99
        defaultOutlet: 98
        outlets: [{id: 1}, {id: 98}, {id: 99, type: reject}]
        rules:
          - {id: 1, destinationPrefix: null, outlet: 1}
        """;

    @TempDir
    Path dir;

    @Test
    void theHubSaysSoAndTakesACorrectedPlanFile() throws Exception {
        try (Journal journal = new Journal(dir.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE);
             ExcerptAppender appender = journal.queue().createAppender();
             DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(PlanRecord.encode(7, LAX, (System.currentTimeMillis() - 60_000) * 1_000_000L));
        }
        assertThatThrownBy(() -> TestHub.start(dir)).isInstanceOf(SortPlanException.class)
            .hasMessage("the plan in the journal (version 7) is refused by this hub; put a corrected plan in the "
                + "sortPlan file (a file changed after the journal's plan wins): line 6: rules[0] (rule 1): "
                + "destinationPrefix: has no value (null); give one, or leave the field out");

        final Path fixed = Files.writeString(dir.resolve("plan.yaml"), LAX.replace("destinationPrefix: null, ", ""));
        final HubConfig config = TestHub.config(dir);
        config.sortPlan = fixed.toString();
        try (HubService hub = HubService.start(config)) {
            assertThat(hub.plans().current().name()).isEqualTo("lax");
            assertThat(hub.plans().current().version()).isGreaterThan(7);
        }
    }
}
