package io.sorthub.hub.ops;

import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubContext;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.kit.time.SetClock;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations whose outcome is a matter of minutes, on a hub whose wall clock the test moves
 * (its monotonic clock stays the machine's): an override's end, a confirmation's deadline.
 * The hub is real, over real sockets; only its idea of the time of day is set.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpsOnTheHubsClockTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Demo plan: destination 518057 goes to outlet 5 (rule 50). */
    private static final String SHENZHEN = "518057";

    @TempDir
    Path dir;
    private final SetClock clock = new SetClock(System.currentTimeMillis());
    private HubService hub;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        final HubConfig config = TestHub.config(dir);
        config.confirmTimeoutMs = 60_000;
        hub = HubService.start(new HubContext(config).epochClock(clock).epochNanoClock(clock));
        http = new Http(hub.httpPort());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void anOverrideForThirtyMinutesHoldsUntilTheHubsClockPassesItsEnd() throws Exception {
        assertThat(http.post("/api/overrides", "{\"destination\": \"" + SHENZHEN + "\", \"outlet\": 6, \"minutes\": 30}")
            .statusCode()).isEqualTo(200);
        try (V2Source source = new V2Source(hub.scanPort(), 20, 2)) {
            assertThat(source.decision(source.send(EventKind.SORT_REQUEST, "SF6000", SHENZHEN, 0, "")).outlet()).isEqualTo(6);
            clock.advance(Duration.ofMinutes(29));
            assertThat(source.decision(source.send(EventKind.SORT_REQUEST, "SF6001", SHENZHEN, 0, "")).outlet()).isEqualTo(6);
            assertThat(new JsonArray(http.get("/api/overrides").body())).hasSize(1);
            assertThat(http.metric("sorthub_overrides")).isEqualTo(1.0);

            clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            final V2Source.Reply after = source.decision(source.send(EventKind.SORT_REQUEST, "SF6002", SHENZHEN, 0, ""));
            assertThat(after.outlet()).isEqualTo(5);
            assertThat(after.reason()).isEqualTo(DecisionReason.RULE);
        }
        assertThat(new JsonArray(http.get("/api/overrides").body())).isEmpty();
        assertThat(http.metric("sorthub_overrides")).isZero();
        assertThat(http.delete("/api/overrides/destination/" + SHENZHEN).statusCode())
            .as("an override that ended is not there to cancel").isEqualTo(404);
    }

    @Test
    void aDecisionIsUnconfirmedOnceTheHubsClockPassesTheConfirmationTimeout() throws Exception {
        try (V2Source sorter = new V2Source(hub.scanPort(), 40, 2)) {
            sorter.send(EventKind.SORT_REQUEST, "SF7001", SHENZHEN, 0, "T1");
            sorter.send(EventKind.SORT_REQUEST, "SF7002", SHENZHEN, 0, "T2");
            sorter.send(EventKind.CONFIRM_DIVERTED, "SF7001", SHENZHEN, 5, "T1"); // the sorter confirms: tracking starts
            sorter.awaitAck(3);
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(http.json(http.get("/api/parcels/SF7002")).getString("status")).isNotEqualTo("unconfirmed");

        clock.advance(Duration.ofSeconds(2));
        assertThat(http.json(http.get("/api/parcels/SF7002")).getString("status")).isEqualTo("unconfirmed");
        // The writer's once-a-second sweep counts it by the same clock.
        Await.until(WAIT, () -> unconfirmed("5") == 1.0, () -> "SF7002 not counted unconfirmed");
        assertThat(http.metric("sorthub_parcels_awaiting_confirmation")).isZero();
        assertThat(http.json(http.get("/api/parcels/SF7001")).getString("status")).isEqualTo("confirmed");
    }

    private double unconfirmed(String outlet) {
        try {
            return http.metric("sorthub_parcels_unconfirmed_total{outlet=\"" + outlet + "\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
