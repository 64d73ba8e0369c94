package io.sorthub.hub;

import io.sorthub.hub.ingest.IngestContext;
import io.sorthub.kit.time.Clocks;
import io.sorthub.kit.time.SetClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link HubContext#conclude()} fills in, keeps, refuses and freezes. */
class HubContextTest {
    @Test
    void whatIsNotSetIsTheMachinesClocksAndTheSettingsLimits() {
        final HubConfig config = new HubConfig();
        config.helloTimeoutMs = 2_000;
        config.maxInFlight = 7;
        final HubContext context = new HubContext(config).conclude();
        assertThat(context.epochClock()).isSameAs(SystemEpochClock.INSTANCE);
        assertThat(context.nanoClock()).isSameAs(SystemNanoClock.INSTANCE);
        assertThat(context.epochNanoClock()).isInstanceOf(OffsetEpochNanoClock.class);
        assertThat(context.ingestLimits()).isEqualTo(new IngestContext.Limits(2_000, 30_000, 1_000, 7, 1_000_000));
        assertThat(context.exportIdleStrategy()).isInstanceOf(SleepingMillisIdleStrategy.class);
        assertThat(context.aroundJournalWriter().apply(null)).isNull(); // no wrapper
        assertThat(context.scanErrors()).isNotNull();
    }

    @Test
    void theHelloRateRunsOnTheClockThatWasSet() {
        final SetClock clock = new SetClock();
        final HubConfig config = new HubConfig();
        config.helloRateLimit = 1; // a burst of ten, then one a second
        final HubContext context = new HubContext(config).clocks(Clocks.of(clock)).conclude();
        assertThat(context.clocks()).isEqualTo(Clocks.of(clock));
        for (int i = 0; i < 10; i++) {
            assertThat(context.hellos().allow("10.0.0.1")).isTrue();
        }
        assertThat(context.hellos().allow("10.0.0.1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(context.hellos().allow("10.0.0.1")).isTrue();
        assertThat(context.hellos().allow("10.0.0.1")).isFalse();
    }

    @Test
    void limitsThatCannotWorkAreRefused() {
        final HubConfig config = new HubConfig();
        config.maxConnections = 0;
        assertThatThrownBy(() -> new HubContext(config).conclude()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("maxConnections=0");
    }

    @Test
    void aConcludedContextIsFrozen() {
        final HubContext context = new HubContext(new HubConfig()).conclude();
        assertThatThrownBy(context::conclude).isInstanceOf(IllegalStateException.class)
            .hasMessage("the hub context is already concluded");
        assertThatThrownBy(() -> context.nanoClock(new SetClock())).isInstanceOf(IllegalStateException.class);
    }
}
