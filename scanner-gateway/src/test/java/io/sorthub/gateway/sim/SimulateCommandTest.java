package io.sorthub.gateway.sim;

import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator against a real hub on 127.0.0.1: every event it sends is acknowledged and journaled. */
@Timeout(120)
class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void simulatedTrafficIsAllAcknowledgedAndJournaled() throws Exception {
        final Path json = dir.resolve("summary.json");
        final int exit;
        try (HubService hub = TestHub.start(dir.resolve("hub"))) {
            exit = new CommandLine(new SimulateCommand()).execute("--port", String.valueOf(hub.scanPort()),
                "--sources", "3", "--rate", "0", "--events", "4000", "--quiet", "--json", json.toString());
        }
        assertThat(exit).isZero();
        final String summary = Files.readString(json);
        assertThat(summary).contains("\"sent\":12000").contains("\"unacknowledged\":0").contains("\"decisions\":12000");
        final var journal = TestHub.readJournal(dir.resolve("hub"));
        assertThat(journal).hasSize(12_000);
        // The traffic is a realistic mix: several kinds, some no-reads routed to reject.
        assertThat(journal.stream().filter(e -> e.outlet() == 99).count()).isPositive();
        assertThat(journal.stream().map(e -> e.reason()).distinct().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void exitsNonZeroWhenTheHubIsNotThere() {
        final int exit = new CommandLine(new SimulateCommand()).execute("--port", "1", "--events", "1", "--quiet");
        assertThat(exit).isNotZero();
    }
}
