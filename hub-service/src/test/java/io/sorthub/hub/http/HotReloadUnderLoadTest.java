package io.sorthub.hub.http;

import io.sorthub.test.Await;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.routing.SortPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans swapped while scans stream in: every event is answered and acknowledged, and every
 * decision is exactly what the plan version it names would decide.
 */
@Timeout(120)
class HotReloadUnderLoadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    /** Plan k sends destinations starting with 1 to outlet k. */
    private static String plan(int k) {
        return """
            name: wave-%d
            rejectOutlet: 99
            defaultOutlet: 90
            outlets: [{id: 1}, {id: 2}, {id: 3}, {id: 4}, {id: 5}, {id: 6}, {id: 7}, {id: 8}, {id: 9}, {id: 10}, {id: 11}, {id: 90}, {id: 99}]
            rules:
              - {id: %d, destinationPrefix: "1", outlet: %d}
              - {id: %d, destinationPrefix: "5", outlet: 11}
            """.formatted(k, k * 10 + 1, k, k * 10 + 2);
    }

    @Test
    void everyDecisionMatchesThePlanVersionItNames() throws Exception {
        final int perSource = 40_000;
        final Map<Long, Integer> outletOfVersion = new HashMap<>();
        try (HubService hub = TestHub.start(dataDir)) {
            final long demoVersion = hub.plans().current().version();
            final List<ScanSender> senders = List.of(new ScanSender(hub.scanPort(), 1), new ScanSender(hub.scanPort(), 2));
            final ExecutorService pool = Executors.newFixedThreadPool(2);
            final List<Future<?>> sends = new ArrayList<>();
            for (ScanSender sender : senders) {
                sends.add(pool.submit(() -> {
                    sender.send(1, perSource);
                    return null;
                }));
            }
            for (int k = 1; k <= 10; k++) {
                final SortPlan installed = hub.control().installPlan(plan(k), "test");
                outletOfVersion.put(installed.version(), k);
            }
            for (Future<?> f : sends) {
                f.get();
            }
            pool.shutdown();
            for (ScanSender sender : senders) {
                sender.awaitAck(perSource, WAIT);
                Await.until(WAIT, () -> sender.decisionCount.get() == perSource, () -> sender.decisionCount + " decisions");
                long lastVersion = 0;
                for (long seq = 1; seq <= perSource; seq++) {
                    final ScanSender.Reply reply = sender.decisions.get(seq);
                    assertThat(reply.planVersion()).as("versions only move forward").isGreaterThanOrEqualTo(lastVersion);
                    lastVersion = reply.planVersion();
                    if (!ScanSender.destination(seq).startsWith("1")) {
                        continue;
                    }
                    if (reply.planVersion() == demoVersion) {
                        assertThat(reply.outlet()).isEqualTo(1); // the demo plan's outlet for 100xxx
                    } else {
                        assertThat(outletOfVersion).containsKey(reply.planVersion());
                        assertThat(reply.outlet()).as("seq %d under version %d", seq, reply.planVersion())
                            .isEqualTo(outletOfVersion.get(reply.planVersion()));
                    }
                }
                sender.close();
            }
            // Loosely: the stream really did straddle several plans.
            assertThat(senders.stream().flatMap(s -> s.decisions.values().stream()).map(ScanSender.Reply::planVersion)
                .distinct().count()).isGreaterThan(1);
        }
    }
}
