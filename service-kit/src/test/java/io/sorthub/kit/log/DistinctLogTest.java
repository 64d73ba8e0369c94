package io.sorthub.kit.log;

import io.sorthub.test.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Each distinct failure named at once, repeats told once an interval with count, first and last time; bounded. */
class DistinctLogTest {
    private final CapturedLog lines = CapturedLog.ownLogger();
    private final org.slf4j.Logger logger = lines.logger();
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final DistinctLog log = new DistinctLog(logger, 60_000, 3, now::get);

    @AfterEach
    void release() {
        lines.close();
    }

    private List<String> messages() {
        return lines.messages();
    }

    @Test
    void theFirstOfEachFailureIsLoggedAndRepeatsAreSummarisedOnceAnInterval() {
        assertThat(log.record("AUTHENTICATION_FAILED", "10.0.0.7", "source 100: wrong credential")).isTrue();
        assertThat(log.record("AUTHENTICATION_FAILED", "10.0.0.8", "source 100: wrong credential")).isTrue();
        assertThat(log.record("HTTP 401", "10.0.0.7", "GET /api/outlets without a known token")).isTrue();
        for (int i = 0; i < 500; i++) {
            now.addAndGet(10);
            assertThat(log.record("AUTHENTICATION_FAILED", "10.0.0.7", "source 100: wrong credential")).isFalse();
        }
        assertThat(messages()).containsExactly(
            "AUTHENTICATION_FAILED from 10.0.0.7: source 100: wrong credential",
            "AUTHENTICATION_FAILED from 10.0.0.8: source 100: wrong credential",
            "HTTP 401 from 10.0.0.7: GET /api/outlets without a known token");
        now.addAndGet(55_000);
        assertThat(log.record("AUTHENTICATION_FAILED", "10.0.0.7", "source 101: wrong credential")).isTrue();
        assertThat(messages()).hasSize(4);
        assertThat(messages().get(3)).isEqualTo("AUTHENTICATION_FAILED from 10.0.0.7: source 101: wrong credential "
            + "(501 more since the last line; 502 in all since 2023-11-14T22:13:20Z, the last at 2023-11-14T22:14:20Z)");
        assertThat(log.count("AUTHENTICATION_FAILED", "10.0.0.7")).isEqualTo(502);
    }

    @Test
    void drainTellsTheLastBurstWhenNothingFollowsIt() {
        log.record("HTTP 403", "10.0.0.9", "viewer grafana: PUT /api/sort-plan needs admin");
        log.record("HTTP 403", "10.0.0.9", "viewer grafana: PUT /api/sort-plan needs admin");
        assertThat(log.drain()).isZero(); // within the interval
        now.addAndGet(60_000);
        assertThat(log.drain()).isEqualTo(1);
        assertThat(messages().get(1)).startsWith("HTTP 403 from 10.0.0.9: viewer grafana: PUT /api/sort-plan needs admin (1 more");
        assertThat(log.drain()).isZero(); // told once
    }

    @Test
    void pastItsBoundNewFailuresAreCountedAndTheQuietOnesForgotten() {
        log.record("k", "a", "d");
        log.record("k", "b", "d");
        log.record("k", "c", "d");
        assertThat(log.record("k", "d", "d")).isTrue(); // the overflow line, once
        assertThat(log.record("k", "e", "d")).isFalse();
        assertThat(messages().get(3)).startsWith("more than 3 distinct failures");
        assertThat(log.count("k", "d")).isZero();
        now.addAndGet(10 * 60_000);
        assertThat(log.record("k", "f", "d")).isTrue();
        assertThat(messages().get(4)).isEqualTo("k from f: d");
    }

    @Test
    void onceTellsTheFirstOfEachInTheCallersWordsAndNeverARepeat() {
        final DistinctLog once = new DistinctLog(logger,
            (l, kind, remote, detail) -> l.warn("device {}: {}: {}; counted only", remote, kind, detail),
            Long.MAX_VALUE, 2, now::get);
        assertThat(once.record("BAD_CHECKSUM", "tunnel-1", "<STX>1234<ETX>")).isTrue();
        assertThat(once.record("BAD_CHECKSUM", "tunnel-2", "<STX>99<ETX>")).isTrue();
        now.addAndGet(365L * 24 * 3_600_000); // a year later: still a repeat, and never forgotten
        assertThat(once.record("BAD_CHECKSUM", "tunnel-1", "<STX>5<ETX>")).isFalse();
        assertThat(once.drain()).isZero();
        assertThat(once.record("TOO_LONG", "tunnel-1", "x")).isTrue(); // the overflow line, once
        assertThat(once.record("TOO_LONG", "tunnel-2", "x")).isFalse();
        assertThat(once.count("BAD_CHECKSUM", "tunnel-1")).isEqualTo(2);
        assertThat(messages()).containsExactly(
            "device tunnel-1: BAD_CHECKSUM: <STX>1234<ETX>; counted only",
            "device tunnel-2: BAD_CHECKSUM: <STX>99<ETX>; counted only",
            "more than 2 distinct failures: further new ones are counted, not named (1 so far)");
    }

    @Test
    void eachInstanceNamesItsOwnFirstFailures() {
        final DistinctLog other = new DistinctLog(logger, 60_000, 3, now::get);
        assertThat(log.record("k", "a", "d")).isTrue();
        assertThat(other.record("k", "a", "d")).isTrue();
    }
}
