package io.sorthub.kit.log;

import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A log of distinct failures (a refused HELLO, a 401, a closed slow connection), in the
 * manner of Agrona's {@code DistinctErrorLog}: a failure is known by its kind and the remote
 * host it came from. The first of each is logged at once with its detail; repeats are
 * counted, and told at most once an interval per failure, with how many there were, when the
 * first and the last came. An attacker hammering the port therefore costs one log line a
 * minute, not one a request, and every attacker is still named.
 *
 * <p>Bounded: at most {@code maxDistinct} failures are tracked; past that, the quietest are
 * forgotten, and if all are recent the new one is only counted (and that is said once an
 * interval). Thread-safe, for paths that are off the hot path by nature (a refused
 * connection). Never give it a secret as detail.
 *
 * <p>One per owner, never a static: two services in one JVM (tests, a hub pair) each name
 * their own first failures. {@link #once} keeps the counting and the bound but never tells a
 * repeat, for callers whose repeats are counted in metrics instead.
 */
public final class DistinctLog {
    /** Writes the first line of a failure: the caller's wording, from kind, remote and detail. */
    @FunctionalInterface
    public interface FirstLine {
        FirstLine FROM = (log, kind, remote, detail) -> log.warn("{} from {}: {}", kind, remote, detail);

        void write(Logger log, String kind, String remote, String detail);
    }

    /** The interval of {@link #once}: a repeat is never due. */
    private static final long NEVER = Long.MAX_VALUE;

    private final Logger log;
    private final FirstLine firstLine;
    private final long intervalMs;
    private final long quietMs;
    private final int maxDistinct;
    private final EpochClock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Entry overflow = new Entry("");

    private record Key(String kind, String remote) {
    }

    private static final class Entry {
        String detail;
        long total;
        long unlogged;
        long firstMs;
        long lastMs;
        long loggedMs;

        Entry(String detail) {
            this.detail = detail;
        }
    }

    public DistinctLog(Logger log, long intervalMs, int maxDistinct, EpochClock clock) {
        this(log, FirstLine.FROM, intervalMs, maxDistinct, clock);
    }

    public DistinctLog(Logger log, FirstLine firstLine, long intervalMs, int maxDistinct, EpochClock clock) {
        this.log = log;
        this.firstLine = firstLine;
        this.intervalMs = intervalMs;
        this.quietMs = intervalMs >= NEVER / 10 ? NEVER : 10 * intervalMs;
        this.maxDistinct = maxDistinct;
        this.clock = clock;
    }

    /** One a minute per failure by {@code clock}, up to 1,000 distinct failures. */
    public static DistinctLog perMinute(Logger log, EpochClock clock) {
        return new DistinctLog(log, 60_000, 1_000, clock);
    }

    /**
     * The first of each failure in the caller's words, repeats only counted: up to
     * {@code maxDistinct} failures, none ever forgotten (forgetting would tell it again).
     */
    public static DistinctLog once(Logger log, FirstLine firstLine, int maxDistinct, EpochClock clock) {
        return new DistinctLog(log, firstLine, NEVER, maxDistinct, clock);
    }

    /**
     * One failure of {@code kind} from {@code remote} (a host; a port would make every
     * connection distinct).
     *
     * @return true when this call wrote a line
     */
    public boolean record(String kind, String remote, String detail) {
        final long now = clock.time();
        final Key key = new Key(kind, remote);
        Entry entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= maxDistinct && !forgetQuiet(now)) {
                return overflowed(now);
            }
            final Entry fresh = new Entry(detail);
            fresh.firstMs = now;
            entry = entries.putIfAbsent(key, fresh);
            if (entry == null) {
                synchronized (fresh) {
                    fresh.total = 1;
                    fresh.lastMs = now;
                    fresh.loggedMs = now;
                }
                firstLine.write(log, kind, remote, detail);
                return true;
            }
        }
        synchronized (entry) {
            entry.total++;
            entry.unlogged++;
            entry.lastMs = now;
            entry.detail = detail;
            if (now - entry.loggedMs < intervalMs) {
                return false;
            }
            summarise(key, entry, now);
            return true;
        }
    }

    /**
     * Tell the repeats not told yet whose interval has passed: for a caller with a timer, so
     * that the last burst of an attack is told even when nothing follows it.
     *
     * @return the lines written
     */
    public int drain() {
        final long now = clock.time();
        int lines = 0;
        for (var e : entries.entrySet()) {
            final Entry entry = e.getValue();
            synchronized (entry) {
                if (entry.unlogged > 0 && now - entry.loggedMs >= intervalMs) {
                    summarise(e.getKey(), entry, now);
                    lines++;
                }
            }
        }
        return lines;
    }

    /** How often {@code kind} came from {@code remote} so far (0 when unknown or forgotten). */
    public long count(String kind, String remote) {
        final Entry entry = entries.get(new Key(kind, remote));
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return entry.total;
        }
    }

    private void summarise(Key key, Entry entry, long now) {
        log.warn("{} from {}: {} ({} more since the last line; {} in all since {}, the last at {})", key.kind(),
            key.remote(), entry.detail, entry.unlogged, entry.total, Instant.ofEpochMilli(entry.firstMs),
            Instant.ofEpochMilli(entry.lastMs));
        entry.unlogged = 0;
        entry.loggedMs = now;
    }

    /** Make room by forgetting failures quiet for ten intervals (told already, or told by drain). */
    private boolean forgetQuiet(long now) {
        if (quietMs == NEVER) {
            return false;
        }
        entries.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().lastMs >= quietMs;
            }
        });
        return entries.size() < maxDistinct;
    }

    private boolean overflowed(long now) {
        synchronized (overflow) {
            overflow.total++;
            if (overflow.loggedMs != 0 && now - overflow.loggedMs < intervalMs) {
                return false;
            }
            overflow.loggedMs = now;
            if (quietMs == NEVER) {
                log.warn("more than {} distinct failures: further new ones are counted, not named ({} so far)",
                    maxDistinct, overflow.total);
                return true;
            }
            log.warn("more than {} distinct failures within {} s: further new ones are counted, not named "
                + "({} so far)", maxDistinct, intervalMs * 10 / 1000, overflow.total);
            return true;
        }
    }
}
