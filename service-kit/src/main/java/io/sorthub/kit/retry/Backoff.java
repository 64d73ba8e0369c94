package io.sorthub.kit.retry;

import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * How long to wait before trying again after a failure: the first delay, doubling up to a
 * maximum, each with up to a quarter more of random jitter, so that many gateways or
 * exporters cut off by the same outage do not all come back in step and knock the
 * recovering hub or broker over again. Used as delays for timers ({@link #nextDelayMs}) or
 * against a clock ({@link #failed}, {@link #mayTry}). One thread.
 */
public final class Backoff {
    private final long firstMs;
    private final long maxMs;
    private final LongUnaryOperator jitter;
    private long delayMs;
    private long retryAtNs;

    /** @param jitter the extra wait for a delay (0 .. delay/4 with {@link #withRandomJitter}); tests pass a fixed one */
    public Backoff(long firstMs, long maxMs, LongUnaryOperator jitter) {
        if (firstMs < 1 || maxMs < firstMs) {
            throw new IllegalArgumentException("back-off of " + firstMs + " to " + maxMs + " ms");
        }
        this.firstMs = firstMs;
        this.maxMs = maxMs;
        this.jitter = jitter;
    }

    public static Backoff withRandomJitter(long firstMs, long maxMs) {
        final SplittableRandom random = new SplittableRandom();
        return new Backoff(firstMs, maxMs, delay -> random.nextLong(delay / 4 + 1));
    }

    /** A failure: the wait before the next try, longer than the last one up to the maximum. */
    public long nextDelayMs() {
        delayMs = delayMs == 0 ? firstMs : Math.min(delayMs * 2, maxMs);
        return delayMs + jitter.applyAsLong(delayMs);
    }

    /**
     * A failure at {@code nowNs}: the next try is not before {@link #nextDelayMs} from now.
     *
     * @return true for the first failure of an outage (log it then, not at every retry)
     */
    public boolean failed(long nowNs) {
        final boolean first = delayMs == 0;
        retryAtNs = nowNs + nextDelayMs() * 1_000_000L;
        return first;
    }

    public boolean mayTry(long nowNs) {
        return nowNs - retryAtNs >= 0;
    }

    /** Working again: the next failure waits the first delay. */
    public void reset() {
        delayMs = 0;
    }

    /** Failed since the last {@link #reset}. */
    public boolean inOutage() {
        return delayMs > 0;
    }
}
