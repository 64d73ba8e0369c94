package io.sorthub.hub.security;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The HELLO bucket per address on an injected clock: a burst, then the rate; addresses apart; 0 is no limit. */
class HelloRateTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstThenTheRatePerAddress() {
        final HelloRate rate = new HelloRate(2, now::get); // bursts of 20
        for (int i = 0; i < 20; i++) {
            assertThat(rate.allow("10.0.0.1")).as("HELLO %d of the burst", i).isTrue();
        }
        assertThat(rate.allow("10.0.0.1")).isFalse();
        assertThat(rate.allow("10.0.0.2")).as("another address has its own bucket").isTrue();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
        assertThat(rate.allow("10.0.0.1")).isFalse();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(rate.allow("10.0.0.1")).as("one HELLO refilled after half a second").isTrue();
        assertThat(rate.allow("10.0.0.1")).isFalse();
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 20; i++) {
            assertThat(rate.allow("10.0.0.1")).isTrue(); // refilled to the burst, not beyond
        }
        assertThat(rate.allow("10.0.0.1")).isFalse();
    }

    @Test
    void zeroIsNoLimit() {
        final HelloRate rate = new HelloRate(0, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(rate.allow("10.0.0.1")).isTrue();
        }
    }
}
