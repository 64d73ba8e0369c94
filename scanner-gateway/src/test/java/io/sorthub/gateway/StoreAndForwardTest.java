package io.sorthub.gateway;

import io.sorthub.test.Exposition;
import io.sorthub.gateway.sim.SimulateCommand;
import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Simulated scanners → gateway → hub, on 127.0.0.1, with the hub stopped in the middle and
 * started again, and then the gateway restarted with a backlog: the hub's journal ends with
 * every read exactly once, in the gateway's order, and every read got an answer.
 */
@Timeout(180)
class StoreAndForwardTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private GatewayConfig gatewayConfig(int hubPort) {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = hubPort;
        config.httpPort = 0;
        config.spoolDir = dir.resolve("spool").toString();
        config.devices.get(0).port = 0;
        return config;
    }

    /** The gateway's name, on every series it exports. */
    private static final String LINE = "{line=\"line-1\"}";

    private static double metric(Gateway gateway, String name) {
        return Exposition.value(gateway.scrape(), name);
    }

    @Test
    void theHubGoingAwayLosesNothingAndJournalsEverythingOnceInOrder() throws Exception {
        final Path hubDir = dir.resolve("hub");
        HubService hub = TestHub.start(hubDir);
        final HubConfig hubConfig = TestHub.config(hubDir);
        hubConfig.scanPort = hub.scanPort(); // the restarted hub must come back where the gateway looks
        final AtomicInteger simulateExit = new AtomicInteger(-1);
        final Path summary = dir.resolve("native.json");
        long spooled;
        try (GatewayService service = GatewayService.start(gatewayConfig(hub.scanPort()))) {
            final Gateway gateway = service.gateway();
            final Thread scanners = new Thread(() -> simulateExit.set(new CommandLine(new SimulateCommand()).execute(
                "--native", "127.0.0.1:" + gateway.devicePort("tunnel-1"), "--sources", "2", "--rate", "2000",
                "--duration", "8", "--quiet", "--json", summary.toString())));
            scanners.start();
            Await.until(WAIT, () -> gateway.ackedSequence() > 1_000, () -> "acked " + gateway.ackedSequence());

            hub.close(); // the hub goes away mid-stream
            final long ackedAtStop = gateway.ackedSequence();
            Await.until(WAIT, () -> gateway.spooledSequence() > ackedAtStop + 2_000,
                () -> "reads should keep being spooled: " + gateway.spooledSequence());
            Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_hub_connected" + LINE) == 0.0, () -> "hub_connected");
            assertThat(metric(gateway, "sorthub_gateway_spool_backlog" + LINE)).isGreaterThan(2_000);
            // The figure an operator needs during an outage: how old the oldest unforwarded read is.
            Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_oldest_unacked_seconds" + LINE) >= 0.5,
                () -> "oldest unacked during the outage: " + metric(gateway, "sorthub_gateway_oldest_unacked_seconds" + LINE));

            hub = HubService.start(hubConfig);
            scanners.join(60_000);
            assertThat(simulateExit.get()).as("every read was answered (by the hub, or by the fallback while it was away)")
                .isZero();
            Await.until(WAIT, () -> gateway.ackedSequence() == gateway.spooledSequence(),
                () -> "backlog drains: acked " + gateway.ackedSequence() + " of " + gateway.spooledSequence());
            spooled = gateway.spooledSequence();
            assertThat(metric(gateway, "sorthub_gateway_fallback_answers_total{device=\"tunnel-1\",line=\"line-1\"}")).isPositive();
            Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_oldest_unacked_seconds" + LINE) == 0.0,
                () -> "nothing unacknowledged: " + metric(gateway, "sorthub_gateway_oldest_unacked_seconds" + LINE));
        } finally {
            hub.close();
        }
        assertThat(Files.readString(summary)).contains("\"sent\":" + spooled);
        assertJournalHoldsExactly(hubDir, spooled);
    }

    @Test
    void aBacklogSurvivesAGatewayRestartWhileTheHubIsDown() throws Exception {
        final Path hubDir = dir.resolve("hub2");
        final HubService first = TestHub.start(hubDir);
        final int port = first.scanPort();
        first.close(); // the hub is down from the start
        final HubConfig hubConfig = TestHub.config(hubDir);
        hubConfig.scanPort = port;
        final long spooled;
        try (GatewayService service = GatewayService.start(gatewayConfig(port))) {
            assertThat(new CommandLine(new SimulateCommand()).execute("--native",
                "127.0.0.1:" + service.gateway().devicePort("tunnel-1"), "--sources", "1", "--rate", "0", "--events", "3000",
                "--quiet")).isZero();
            spooled = service.gateway().spooledSequence();
            assertThat(spooled).isEqualTo(3_000);
        }
        // A new gateway process on the same spool, and the hub back: the backlog goes through once.
        try (GatewayService service = GatewayService.start(gatewayConfig(port)); HubService hub = HubService.start(hubConfig)) {
            assertThat(service.gateway().spooledSequence()).isEqualTo(spooled);
            Await.until(WAIT, () -> service.gateway().ackedSequence() == spooled,
                () -> "acked " + service.gateway().ackedSequence());
        }
        assertJournalHoldsExactly(hubDir, spooled);
    }

    @Test
    void afterARestartTheBacklogCountsOnlyWhatTheHubLacksEvenBeforeTheHubAnswers() throws Exception {
        final Path hubDir = dir.resolve("hub3");
        final long spooled;
        try (HubService hub = TestHub.start(hubDir); GatewayService service = GatewayService.start(gatewayConfig(hub.scanPort()))) {
            assertThat(new CommandLine(new SimulateCommand()).execute("--native",
                "127.0.0.1:" + service.gateway().devicePort("tunnel-1"), "--sources", "1", "--rate", "0", "--events", "500",
                "--quiet")).isZero();
            spooled = service.gateway().spooledSequence();
            Await.until(WAIT, () -> service.gateway().ackedSequence() == spooled, () -> "acked " + service.gateway().ackedSequence());
        }
        // The hub is gone too: nothing can tell the new gateway process what was acknowledged but its spool.
        try (GatewayService service = GatewayService.start(gatewayConfig(1))) {
            assertThat(metric(service.gateway(), "sorthub_gateway_spool_backlog" + LINE)).isZero();
            assertThat(metric(service.gateway(), "sorthub_gateway_oldest_unacked_seconds" + LINE)).isZero();
            assertThat(service.gateway().spooledSequence()).isEqualTo(spooled);
        }
    }

    private static void assertJournalHoldsExactly(Path hubDir, long count) {
        final List<TestHub.Entry> journal = TestHub.readJournal(hubDir).stream().filter(e -> e.sourceId() == 100).toList();
        assertThat(journal).hasSize((int) count);
        for (int i = 0; i < count; i++) {
            assertThat(journal.get(i).sequence()).as("in order, once").isEqualTo(i + 1);
        }
    }
}
