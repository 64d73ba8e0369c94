package io.sorthub.hub.routing.compile;

import io.sorthub.hub.HubService;
import io.sorthub.hub.journal.JournalState;
import io.sorthub.kit.time.SetClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A plan new to the journal is versioned by the time it comes into force, and always above the journal's. */
class StartPlanVersionTest {
    private final SetClock clock = new SetClock(1_780_000_000_000L);

    @Test
    void aNewPlanTakesTheTimeAsItsVersion() throws Exception {
        final StartPlan choice = StartPlan.choose(null, null, clock);
        assertThat(choice.plan().version()).isEqualTo(1_780_000_000_000L);
        assertThat(choice.journalIt()).isTrue();
    }

    @Test
    void aClockBehindTheJournalsPlanStillGivesAHigherVersion(@TempDir Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("plan.yaml"), HubService.demoPlanText()); // changed after the journal's
        final JournalState.Plan journaled = new JournalState.Plan(1_790_000_000_000L, "name: older\n", 0);
        final StartPlan choice = StartPlan.choose(file.toString(), journaled, clock);
        assertThat(choice.plan().version()).isEqualTo(1_790_000_000_001L);
        assertThat(choice.journalIt()).isTrue();
    }
}
