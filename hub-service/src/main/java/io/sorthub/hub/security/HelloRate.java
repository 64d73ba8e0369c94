package io.sorthub.hub.security;



import org.agrona.concurrent.NanoClock;

import java.util.concurrent.ConcurrentHashMap;

/**
 * HELLOs a remote address may send: a token bucket per address, {@code perSecond} a second
 * with bursts of ten times that. It bounds what guessing credentials costs the hub (a digest
 * and a log entry each) and how fast a replayed HELLO can take a source's
 * session away; a gateway that reconnects now and then never meets it. Called once per HELLO
 * from any event loop, never per event.
 */
public final class HelloRate {
    /** Addresses remembered at most; past it, those whose bucket is full again are forgotten first. */
    static final int MAX_ADDRESSES = 10_000;

    private final int perSecond;
    private final double burst;
    private final NanoClock nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** A full table is swept for idle addresses at most this often (the sweep walks all of them). */
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;
    private volatile long lastSweepNs = Long.MIN_VALUE / 2;

    private static final class Bucket {
        double tokens;
        long atNs;

        Bucket(double tokens, long atNs) {
            this.tokens = tokens;
            this.atNs = atNs;
        }

        /** Refill for the time passed. */
        void refill(long nowNs, int perSecond, double burst) {
            tokens = Math.min(burst, tokens + (nowNs - atNs) * perSecond / 1e9);
            atNs = nowNs;
        }
    }

    /** @param perSecond 0 for no limit */
    public HelloRate(int perSecond, NanoClock nanoClock) {
        this.perSecond = perSecond;
        this.burst = 10.0 * perSecond;
        this.nanoClock = nanoClock;
    }

    /** No limit: every HELLO may come (the clock is never read). */
    public static HelloRate unlimited() {
        return new HelloRate(0, () -> 0);
    }

    /** May {@code address} say HELLO now? Takes one token when it may. */
    public boolean allow(String address) {
        if (perSecond == 0) {
            return true;
        }
        final long now = nanoClock.nanoTime();
        if (buckets.size() >= MAX_ADDRESSES && !buckets.containsKey(address)) {
            final long last = lastSweepNs;
            if (now - last < SWEEP_INTERVAL_NS) {
                return false; // swept within the second: a flood from many addresses pays a size check, not a sweep
            }
            lastSweepNs = now;
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    b.refill(now, perSecond, burst);
                    return b.tokens >= burst;
                }
            });
            if (buckets.size() >= MAX_ADDRESSES) {
                return false; // every address is busy: a flood from many addresses, not a gateway
            }
        }
        final Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.refill(now, perSecond, burst);
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    public int perSecond() {
        return perSecond;
    }
}
