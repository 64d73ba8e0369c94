package io.sorthub.gateway.decision;

import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fallback deadline, late decisions and answer order, on a clock the test moves. */
class PendingDecisionsTest {
    private static final int FALLBACK = 98;
    private static final int REJECT = 99;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final List<String> answered = new ArrayList<>();
    private final List<Long> late = new ArrayList<>();
    private final List<String> roundTrips = new ArrayList<>();
    private PendingDecisions<String> decisions;

    @BeforeEach
    void setUp() {
        clock.update(1_000_000);
        nanoClock.update(5_000_000_000L);
        decisions = new PendingDecisions<>(clock, nanoClock, new PendingDecisions.Answers<>() {
            @Override
            public void answer(String route, String parcelId, String barcode, long sequence, int outlet,
                               PendingDecisions.Why why) {
                answered.add(route + ":" + parcelId + "/" + sequence + "->" + outlet + " " + why);
            }

            @Override
            public void late(long sequence) {
                late.add(sequence);
            }

            @Override
            public void roundTrip(String route, long nanos) {
                roundTrips.add(route + " " + nanos);
            }
        });
    }

    @Test
    void aReadTheHubDoesNotDecideInTimeGetsTheFallbackAtItsDeadlineNotBefore() {
        final var lane = decisions.lane(300, FALLBACK, false);
        decisions.expect(lane, 1, "tunnel", "P1", "SF1");
        clock.advance(299);
        assertThat(decisions.doWork()).isZero();
        assertThat(answered).isEmpty();
        clock.advance(1);
        assertThat(decisions.doWork()).isEqualTo(1);
        assertThat(answered).containsExactly("tunnel:P1/1->98 FALLBACK");

        nanoClock.advance(1_000_000_000L);
        clock.advance(PendingDecisions.LATE_ROUND_TRIP_MS - 1_000);
        decisions.decided(1, 7); // the hub's answer after the sorter got the fallback: a slow hub
        assertThat(late).containsExactly(1L);
        assertThat(roundTrips).containsExactly("tunnel 1000000000");
        assertThat(answered).hasSize(1);
    }

    @Test
    void theHubsDecisionInTimeIsAnsweredOnceAndNoFallbackFollows() {
        final var lane = decisions.lane(300, FALLBACK, false);
        decisions.expect(lane, 1, "tunnel", "P1", "SF1");
        decisions.expect(lane, 2, "tunnel", "P2", "SF2");
        decisions.decided(2, 5);
        assertThat(answered).containsExactly("tunnel:P2/2->5 HUB"); // answers by id: no need to wait for P1
        clock.advance(10_000);
        decisions.doWork();
        assertThat(answered).containsExactly("tunnel:P2/2->5 HUB", "tunnel:P1/1->98 FALLBACK");
    }

    @Test
    void aDecisionThatComesWhenAnOutagesBacklogDrainsMinutesLaterIsStillCountedLate() {
        final var lane = decisions.lane(300, FALLBACK, false);
        decisions.expect(lane, 1, "tunnel", "P1", "SF1");
        clock.advance(300);
        decisions.doWork();
        clock.advance(15 * 60_000);
        nanoClock.advance(15 * 60_000_000_000L);
        decisions.doWork();
        decisions.decided(1, 7);
        assertThat(late).containsExactly(1L);
        assertThat(roundTrips).as("an outage's drain is not a round trip of the hub").isEmpty();
    }

    @Test
    void pastItsBoundTheOldestFallbacksAreForgottenFirst() {
        final var lane = decisions.lane(300, FALLBACK, false);
        for (long sequence = 1; sequence <= PendingDecisions.MAX_REMEMBERED + 1; sequence++) {
            decisions.expect(lane, sequence, "tunnel", "P" + sequence, "SF" + sequence);
        }
        clock.advance(300);
        decisions.doWork();
        assertThat(answered).hasSize(PendingDecisions.MAX_REMEMBERED + 1);
        decisions.decided(1, 7);
        decisions.decided(2, 7);
        decisions.decided(PendingDecisions.MAX_REMEMBERED + 1, 7);
        assertThat(late).containsExactly(2L, PendingDecisions.MAX_REMEMBERED + 1L);
    }

    @Test
    void aDecisionLongAfterTheFallbackIsForgottenNotCounted() {
        final var lane = decisions.lane(300, FALLBACK, false);
        decisions.expect(lane, 1, "tunnel", "P1", "SF1");
        clock.advance(300);
        decisions.doWork();
        clock.advance(PendingDecisions.LATE_GRACE_MS);
        decisions.doWork();
        decisions.decided(1, 7);
        assertThat(late).isEmpty();
    }

    @Test
    void anOrderedLaneAnswersInTheOrderTheDeviceSentEvenWhenTheHubDecidesOutOfOrder() {
        final var lane = decisions.lane(300, FALLBACK, true);
        decisions.expect(lane, 1, "plc", "", "A");
        decisions.expect(lane, 2, "plc", "", "B");
        decisions.answerNow(lane, "plc", "", "", REJECT, PendingDecisions.Why.REJECT); // a refused telegram, third
        decisions.expect(lane, 3, "plc", "", "C");
        decisions.decided(2, 5);
        decisions.decided(3, 6);
        assertThat(answered).as("nothing may overtake read 1").isEmpty();
        decisions.decided(1, 4);
        assertThat(answered).containsExactly("plc:/1->4 HUB", "plc:/2->5 HUB", "plc:/0->99 REJECT", "plc:/3->6 HUB");
    }

    @Test
    void anOrderedLaneReleasesTheReadsBehindAFallback() {
        final var lane = decisions.lane(300, FALLBACK, true);
        decisions.expect(lane, 1, "plc", "", "A");
        clock.advance(100);
        decisions.expect(lane, 2, "plc", "", "B");
        decisions.decided(2, 5);
        clock.advance(200);
        assertThat(decisions.doWork()).isEqualTo(2);
        assertThat(answered).containsExactly("plc:/1->98 FALLBACK", "plc:/2->5 HUB");
    }

    @Test
    void aRefusedTelegramWithNothingWaitingIsAnsweredAtOnce() {
        final var lane = decisions.lane(300, FALLBACK, true);
        decisions.answerNow(lane, "plc", "", "", REJECT, PendingDecisions.Why.REJECT);
        assertThat(answered).containsExactly("plc:/0->99 REJECT");
    }

    @Test
    void eachLaneHasItsOwnDeadline() {
        final var slow = decisions.lane(1_000, 97, false);
        final var fast = decisions.lane(100, FALLBACK, false);
        decisions.expect(slow, 1, "slow", "S1", "X");
        decisions.expect(fast, 2, "fast", "F1", "Y");
        clock.advance(100);
        decisions.doWork();
        assertThat(answered).as("a slow device's read does not hold up a fast one's").containsExactly("fast:F1/2->98 FALLBACK");
    }

    @Test
    void eachDecisionOfTheHubReportsItsRoundTripFromTheReadOnTheNanoClockLateOnesToo() {
        final var lane = decisions.lane(300, FALLBACK, false);
        decisions.expect(lane, 1, "tunnel", "P1", "SF1");
        nanoClock.advance(400_000); // 0.4 ms: finer than the epoch clock could tell
        decisions.expect(lane, 2, "tunnel", "P2", "SF2");
        nanoClock.advance(1_100_000);
        decisions.decided(1, 5);
        assertThat(roundTrips).containsExactly("tunnel 1500000");

        clock.advance(300);
        decisions.doWork(); // read 2 gets its fallback
        nanoClock.advance(300_000_000);
        decisions.decided(2, 6);
        assertThat(late).containsExactly(2L);
        assertThat(roundTrips).containsExactly("tunnel 1500000", "tunnel 301100000");

        decisions.decided(1, 5); // answered already, nothing waits for it: no second round trip
        decisions.decided(42, 5); // a backlog event from before this process
        assertThat(roundTrips).hasSize(2);
    }
}
