package io.sorthub.hub.export;

/**
 * Retry timing for an outage: 1 s, doubling to 30 s, with up to a quarter of jitter so that
 * many hubs do not hit a recovering broker in step. Single thread (the exporter's).
 */
final class Backoff {
    static final long FIRST_MS = 1_000;
    static final long MAX_MS = 30_000;

    private final java.util.function.LongUnaryOperator jitter;
    private long delayMs;
    private long retryAtNs;

    /** @param jitter the extra wait for a delay (0 .. delay/4), e.g. from a random source; tests pass a fixed one */
    Backoff(java.util.function.LongUnaryOperator jitter) {
        this.jitter = jitter;
    }

    static Backoff withRandomJitter() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom();
        return new Backoff(delay -> random.nextLong(delay / 4 + 1));
    }

    /**
     * A failure at {@code nowNs}: wait longer before the next try.
     *
     * @return true for the first failure of an outage (log it then, not at every retry)
     */
    boolean failed(long nowNs) {
        final boolean first = delayMs == 0;
        delayMs = first ? FIRST_MS : Math.min(delayMs * 2, MAX_MS);
        retryAtNs = nowNs + (delayMs + jitter.applyAsLong(delayMs)) * 1_000_000L;
        return first;
    }

    boolean mayTry(long nowNs) {
        return nowNs >= retryAtNs;
    }

    /** Working again. */
    void reset() {
        delayMs = 0;
    }

    boolean inOutage() {
        return delayMs > 0;
    }
}
