package io.sorthub.hub.cleanroom;

import io.sorthub.test.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md "Session" 8 and OPERATIONS.md {@code idleTimeoutMs}: a session that sends nothing
 * is closed, but only while the hub reads it; a connection the hub holds back is not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String IDLE_TRIPS = "sorthub_limit_trips_total{limit=\"idle_timeout\"}";

    @TempDir
    Path dir;

    @Test
    void aSilentSessionIsClosedAfterTheIdleTimeoutAndOneThatSpeaksIsNot() throws Exception {
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), "--config",
            HubProcess.writeConfig(dir, "idleTimeoutMs: 1000\n").toString())) {
            final HubHttp http = new HubHttp(hub.httpPort);
            final double tripsBefore = http.metric(IDLE_TRIPS);

            try (WireClient talker = WireClient.hello(hub.scanPort, 401, WAIT);
                 WireClient silent = WireClient.hello(hub.scanPort, 402, WAIT)) {
                final long welcomed = System.nanoTime();
                // the talker sends a HEARTBEAT or a SCAN every 300 ms for three idle timeouts
                long sequence = 0;
                for (int round = 0; round < 10; round++) {
                    if (round % 2 == 0) {
                        talker.send(Wire.heartbeat(round));
                        final Wire.Frame echo = talker.next(WAIT);
                        assertThat(echo.type()).as("%s", echo).isEqualTo(Wire.HEARTBEAT);
                        assertThat(echo.heartbeatTime()).isEqualTo(round);
                    } else {
                        talker.send(Wire.scan(401, ++sequence));
                        talker.untilAck(sequence, WAIT);
                    }
                    assertThat(talker.poll(Duration.ofMillis(300))).as("nothing unasked for, round %d", round).isNull();
                }
                assertThat(talker.isClosedByHub()).isFalse();

                final List<Wire.Frame> end = silent.untilClosed(WAIT);
                final long silentFor = Duration.ofNanos(System.nanoTime() - welcomed).toMillis();
                assertThat(end).hasSize(1);
                assertThat(end.get(0).errorCode()).as("%s", end.get(0)).isEqualTo(Wire.PROTOCOL_VIOLATION);
                // seen from here the silence began a little after the hub's clock started
                assertThat(silentFor).isGreaterThanOrEqualTo(900);
            }
            assertThat(http.metric(IDLE_TRIPS) - tripsBefore).isEqualTo(1);
        }
    }

    @Test
    void aConnectionTheHubHoldsBackIsNotClosedForItsSilence() throws Exception {
        // more free disk than any machine has: the hub stops accepting events (OPERATIONS.md, "Retention and disk space")
        try (HubProcess hub = HubProcess.start(dir.resolve("data"), "--config",
            HubProcess.writeConfig(dir, "idleTimeoutMs: 1000\nminFreeDiskBytes: 4611686018427387904\n").toString())) {
            final HubHttp http = new HubHttp(hub.httpPort);
            Await.value("/health says DOWN: the journal disk", WAIT, () -> {
                final var r = http.get("/health");
                return r.statusCode() == 503 && r.body().contains("\"DOWN\"") && r.body().contains("journal disk nearly full")
                    ? r : null;
            });
            assertThat(http.get("/ready").statusCode()).isEqualTo(503);
            assertThat(http.metric("sorthub_journal_accepting")).isZero();
            try (WireClient c = new WireClient(hub.scanPort)) {
                c.send(Wire.hello(403));
                final Wire.Frame welcome = c.next(WAIT);
                assertThat(welcome.type()).as("%s", welcome).isEqualTo(Wire.WELCOME);
                c.send(Wire.scan(403, 1));
                // three idle timeouts of silence, all of it the hub's: no DECISION, no ERROR, no close
                assertThat(c.poll(Duration.ofMillis(3500))).isNull();
                assertThat(c.isClosedByHub()).isFalse();
                assertThat(c.violations).isEmpty();
            }
            assertThat(http.metric(IDLE_TRIPS)).isZero();
        }
    }
}
