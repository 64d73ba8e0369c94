package io.sorthub.kit.retry;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void doublesFromTheFirstDelayToTheMaximumAndStartsAgainAfterAReset() {
        final Backoff b = new Backoff(100, 1_000, d -> 0);
        assertThat(b.inOutage()).isFalse();
        assertThat(new long[] {b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs()})
            .containsExactly(100, 200, 400, 800, 1_000);
        assertThat(b.inOutage()).isTrue();
        b.reset();
        assertThat(b.inOutage()).isFalse();
        assertThat(b.nextDelayMs()).isEqualTo(100);
    }

    @RepeatedTest(20)
    void randomJitterAddsAtMostAQuarter() {
        final Backoff b = Backoff.withRandomJitter(1_000, 30_000);
        for (long delay : new long[] {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000}) {
            assertThat(b.nextDelayMs()).isBetween(delay, delay + delay / 4);
        }
    }

    @Test
    void againstAClockTheNextTryWaitsTheDelayAndOnlyTheFirstFailureOfAnOutageSaysSo() {
        final Backoff b = new Backoff(1_000, 30_000, d -> d / 4);
        assertThat(b.mayTry(0)).isTrue();
        assertThat(b.failed(0)).isTrue();
        assertThat(b.mayTry(1_249_999_999L)).isFalse();
        assertThat(b.mayTry(1_250_000_000L)).isTrue();
        assertThat(b.failed(1_250_000_000L)).isFalse();
        assertThat(b.mayTry(1_250_000_000L + 2_499_999_999L)).isFalse();
        assertThat(b.mayTry(1_250_000_000L + 2_500_000_000L)).isTrue();
        b.reset();
        assertThat(b.failed(10_000_000_000L)).isTrue();
    }
}
