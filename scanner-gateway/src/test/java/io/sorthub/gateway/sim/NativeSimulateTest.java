package io.sorthub.gateway.sim;

import io.sorthub.test.StandardStreams;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.GatewayService;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.DecisionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's simulator: scanners into a real gateway in front of a real hub, a summary that tells what happened. */
@Timeout(120)
class NativeSimulateTest {
    @TempDir
    Path dir;

    private String simulate(String... args) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(StandardStreams.capture(bytes, null, () -> new CommandLine(new SimulateCommand()).execute(args))).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Set<String> barcodes(Path hubData) {
        return TestHub.readJournal(hubData).stream().map(TestHub.Entry::barcode).filter(b -> !b.isEmpty())
            .collect(Collectors.toSet());
    }

    @Test
    void eachRunSendsParcelsOfItsOwnAndTheSummaryBreaksAnswersDownByOutletAndTheHubsReasons() throws Exception {
        final Path hubData = dir.resolve("hub");
        try (HubService hub = TestHub.start(hubData)) {
            final GatewayConfig config = new GatewayConfig();
            config.hubPort = hub.scanPort();
            config.httpPort = 0;
            config.spoolDir = dir.resolve("spool").toString();
            config.devices.get(0).port = 0;
            try (GatewayService gateway = GatewayService.start(config)) {
                final String target = "127.0.0.1:" + gateway.gateway().devicePort("tunnel-1");
                final String metrics = "http://127.0.0.1:" + hub.httpPort() + "/metrics";
                final String first = simulate("--native", target, "--sources", "2", "--events", "300", "--rate", "0",
                    "--quiet", "--hub-metrics", metrics, "--seed", "1001");
                assertThat(first).contains("summary: 2 scanners sent 600 reads").contains("answered 600")
                    .contains("run rt (barcodes SH…-rt-…)");
                final String byOutlet = first.lines().filter(l -> l.startsWith("  answers by outlet: ")).findFirst().orElseThrow();
                final long answers = java.util.Arrays.stream(byOutlet.substring("  answers by outlet: ".length()).split(", "))
                    .mapToLong(e -> Long.parseLong(e.substring(e.indexOf('=') + 1))).sum();
                assertThat(answers).isEqualTo(600);
                final String reasons = first.lines().filter(l -> l.startsWith("  hub decisions by reason: ")).findFirst()
                    .orElseThrow();
                final Map<DecisionReason, Long> journaled = TestHub.readJournal(hubData).stream()
                    .collect(Collectors.groupingBy(TestHub.Entry::reason, Collectors.counting()));
                journaled.forEach((reason, n) -> assertThat(reasons).contains(reason.name().toLowerCase() + "=" + n));
                final Set<String> firstRun = barcodes(hubData);
                simulate("--native", target, "--sources", "2", "--events", "300", "--rate", "0", "--quiet");
                // Answered is not yet journaled: the gateway forwards from its spool behind the answers.
                final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                Set<String> secondRun = Set.of();
                while (secondRun.size() <= 500 && System.nanoTime() < deadline) {
                    final Set<String> now = barcodes(hubData);
                    now.removeAll(firstRun);
                    secondRun = now;
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
                assertThat(secondRun).as("the second run's parcels are new ones").hasSizeGreaterThan(500);
            }
        }
    }

    @Test
    void hubDecisionsAreReadFromThePrometheusText() {
        final String text = """
            # HELP sorthub_decisions_total DECISION frames sent, by reason
            sorthub_decisions_total{reason="rule"} 1200.0
            sorthub_decisions_total{reason="no_read"} 18.0
            sorthub_decisions_total{reason="default"} 0.0
            sorthub_outlet_decisions_total{outlet="1"} 5.0
            """;
        final Map<String, Long> after = HubDecisionCounts.parse(text);
        assertThat(after).containsEntry("rule", 1200L).containsEntry("no_read", 18L).hasSize(3);
        assertThat(HubDecisionCounts.since(Map.of("rule", 200L, "no_read", 18L), after)).containsExactly(Map.entry("rule", 1000L));
    }
}
