package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import io.sorthub.test.Await;
import io.sorthub.kit.time.SetClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A loop blocked by a slow task: the probe handed to it waits, and the delay it shows grows
 * with the clock, second for second, until the loop runs again.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EventLoopDelayTest {
    @Test
    void aBlockedLoopsDelayGrowsWithTheClock() throws Exception {
        final SetClock clock = new SetClock();
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
        final CountDownLatch release = new CountDownLatch(1);
        try {
            loops.execute(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS); // the slow handler
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            new EventLoopDelay(registry, loops, clock);
            final Gauge delay = registry.get("sorthub_event_loop_delay_seconds").tag("loop", "0").gauge();
            // The first probe goes out within a second of real time; from then on it waits.
            Await.until(Duration.ofSeconds(10), () -> {
                clock.advanceMs(1);
                return delay.value() > 0;
            }, () -> "no probe handed to the loop");
            final double waited = delay.value();
            clock.advance(Duration.ofSeconds(5));
            assertThat(delay.value()).isCloseTo(waited + 5.0, within(1e-9));
            clock.advance(Duration.ofMinutes(1));
            assertThat(delay.value()).isCloseTo(waited + 65.0, within(1e-9));
        } finally {
            release.countDown();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
