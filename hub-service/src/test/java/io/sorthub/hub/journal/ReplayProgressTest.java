package io.sorthub.hub.journal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayProgressTest {
    @Test
    void aLineEveryFiveSecondsWithTheRateSinceTheLast() {
        final List<String> lines = new ArrayList<>();
        final long[] now = {0};
        final ReplayProgress progress = new ReplayProgress(lines::add, () -> now[0]);
        now[0] = 1_000_000_000L;
        progress.records(65_536);
        assertThat(lines).isEmpty();
        now[0] = 5_000_000_000L;
        progress.records(10_000_000);
        now[0] = 7_000_000_000L;
        progress.records(12_000_000);
        now[0] = 10_000_000_000L;
        progress.records(25_000_000);
        assertThat(lines).containsExactly(
            "replaying the journal: 10,000,000 records read in 5 s, 2,000,000 records/s",
            "replaying the journal: 25,000,000 records read in 10 s, 3,000,000 records/s");
    }
}
