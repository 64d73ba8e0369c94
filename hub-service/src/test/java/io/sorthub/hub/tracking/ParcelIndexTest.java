package io.sorthub.hub.tracking;

import io.sorthub.protocol.EventKind;
import io.sorthub.test.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class ParcelIndexTest {
    private static final long K = 0x9E3779B97F4A7C15L;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The live writer's next table is ready: a move starts at three quarters, not later. */
    private static void awaitNextTable(ParcelIndex index) {
        Await.until(WAIT, () -> index.reserve().readyAddress() != 0, () -> "no next table made ready");
    }

    @Test
    void aLiveMoveStartsIntoTheTableMadeReadyForItAndTheIndexCountsThatTable() {
        final ParcelIndex index = new ParcelIndex(1L << 30);
        Await.until(WAIT, () -> index.memoryBytes() == 19L * (65_536 + 131_072), () -> "the next table not counted");
        awaitNextTable(index);
        final long ready = index.reserve().readyAddress();
        int i = 1;
        while (index.bytes() == 19L * 65_536) { // up to the first doubling
            index.record(i * K, i, EventKind.ARRIVAL.code(), 0);
            i++;
        }
        assertThat(i - 1).as("doubled at three quarters").isEqualTo(49_153);
        assertThat(index.tableAddress()).as("the doubling moves into the table made ready").isEqualTo(ready);
        assertThat(index.memoryBytes()).as("nothing reserved while a move is under way").isEqualTo(index.bytes());
        while (index.bytes() != 19L * 131_072) { // the move ends
            index.record(i * K, i, EventKind.ARRIVAL.code(), 0);
            i++;
        }
        Await.until(WAIT, () -> index.memoryBytes() == 19L * (131_072 + 262_144), () -> "the next, twice the size, not made");
        for (int p = 1; p < i; p++) {
            assertThat(index.latest(p * K)).isEqualTo(p);
        }
    }

    @Test
    void aFullTableWaitsForItsNextTableBeforeItDoubles() {
        final ParcelIndex index = new ParcelIndex(1L << 30);
        awaitNextTable(index);
        index.reserve().cancel(); // the next table unmapped, and asked for again only when the table is full
        TableReserveTest.drainMemoryThread();
        final CountDownLatch go = TableReserveTest.blockMemoryThread();
        int i = 1;
        for (; i <= 52_000; i++) { // past three quarters (49,152), not yet seven eighths (57,344)
            index.record(i * K, i, EventKind.ARRIVAL.code(), 0);
        }
        assertThat(index.bytes()).as("no move while the next table is being made").isEqualTo(19L * 65_536);
        go.countDown();
        awaitNextTable(index);
        final long ready = index.reserve().readyAddress();
        while (index.bytes() == 19L * 65_536) {
            index.record(i * K, i, EventKind.ARRIVAL.code(), 0);
            i++;
        }
        assertThat(index.tableAddress()).as("moved into the table made ready").isEqualTo(ready);
        for (int p = 1; p < i; p++) {
            assertThat(index.latest(p * K)).isEqualTo(p);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aTableAtSevenEighthsWaitsForTheMemoryThreadThenMapsItsNextItself() {
        final ParcelIndex index = new ParcelIndex(1L << 30);
        awaitNextTable(index);
        index.reserve().cancel();
        TableReserveTest.drainMemoryThread();
        final CountDownLatch go = TableReserveTest.blockMemoryThread();
        int i = 1;
        while (index.bytes() == 19L * 65_536) { // the memory thread stays stuck: at 57,344 the writer waits, then maps
            index.record(i * K, i, EventKind.ARRIVAL.code(), 0);
            i++;
        }
        assertThat(i - 1).as("the table went up to seven eighths").isEqualTo(57_345);
        go.countDown();
        TableReserveTest.drainMemoryThread();
        assertThat(index.reserve().heldBytes()).as("the cancelled request made nothing").isZero();
        for (int p = 1; p < i; p++) {
            assertThat(index.latest(p * K)).isEqualTo(p);
        }
    }

    @Test
    void findsLatestRecordsAndCountsQuality() {
        final ParcelIndex index = new ParcelIndex(1L << 30);
        assertThat(index.record(7, 100, EventKind.ARRIVAL.code(), 0)).isZero();
        assertThat(index.record(7, 101, EventKind.SORT_REQUEST.code(), 5)).isEqualTo(100);
        assertThat(index.record(7, 102, EventKind.CONFIRM_DIVERTED.code(), 6)).isEqualTo(101);
        assertThat(index.record(7, 103, EventKind.LOADING.code(), 0)).isEqualTo(102);
        assertThat(index.record(7, 104, EventKind.LOADING.code(), 0)).isEqualTo(103);
        assertThat(index.latest(7)).isEqualTo(104);
        assertThat(index.latest(8)).isZero();
        assertThat(index.quality().inducted()).isEqualTo(1);
        assertThat(index.quality().loaded()).as("loaded once, however often scanned").isEqualTo(1);
        assertThat(index.quality().confirmed()).isEqualTo(1);
        assertThat(index.quality().missorted()).as("decided 5, confirmed 6").isEqualTo(1);
        // hash 0 is a valid key too (0 marks empty slots internally)
        index.record(0, 200, EventKind.ARRIVAL.code(), 0);
        assertThat(index.latest(0)).isEqualTo(200);
    }

    @Test
    void staysWithinItsMemoryBoundByForgettingTheOlderHalf() {
        final long bound = 19L << 18; // 262,144 slots at most
        final ParcelIndex index = new ParcelIndex(bound);
        final int parcels = 2_000_000;
        long most = 0;
        for (int i = 1; i <= parcels; i++) {
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.ARRIVAL.code(), 0);
            most = Math.max(most, index.memoryBytes());
        }
        assertThat(most).as("the tables of a move, or the table and the next made ready").isLessThanOrEqualTo(bound);
        assertThat(index.bytes()).isLessThanOrEqualTo(bound);
        assertThat(index.evicted()).isGreaterThan(parcels / 2);
        assertThat(index.size() + index.evicted()).isEqualTo(parcels);
        assertThat(index.latest(parcels * 0x9E3779B97F4A7C15L)).as("the newest parcel is kept").isEqualTo(parcels);
        assertThat(index.latest(0x9E3779B97F4A7C15L)).as("the oldest was forgotten").isZero();
    }

    @Test
    void keepsEveryParcelsIndexOutletAndFlagsAcrossDoublingsAndARemoval() {
        final ParcelIndex index = new ParcelIndex(1L << 30);
        final int parcels = 300_000; // from 65,536 slots: three doublings
        for (int i = 1; i <= parcels; i++) {
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.SORT_REQUEST.code(), 1 + i % 1000);
        }
        assertThat(index.bytes()).isGreaterThanOrEqualTo(19L * parcels);
        for (int i = 1; i <= parcels; i++) {
            // confirmed at the decided outlet for even parcels, elsewhere for odd ones
            final int outlet = i % 2 == 0 ? 1 + i % 1000 : 1001;
            assertThat(index.record(i * 0x9E3779B97F4A7C15L, parcels + i, EventKind.CONFIRM_DIVERTED.code(), outlet))
                .isEqualTo(i);
        }
        assertThat(index.quality().inducted()).isEqualTo(parcels);
        assertThat(index.quality().confirmed()).isEqualTo(parcels);
        assertThat(index.quality().missorted()).as("the odd parcels' outlets survived the doublings").isEqualTo(parcels / 2);
        index.forgetBefore(parcels + parcels / 2 + 1);
        assertThat(index.latest(0x9E3779B97F4A7C15L)).as("forgotten at once, before its slot is given back").isZero();
        assertThat(index.latest(parcels * 0x9E3779B97F4A7C15L)).as("kept while the table moves").isEqualTo(2L * parcels);
        final long before = index.bytes();
        Await.until(WAIT, () -> index.moveWhileIdle() >= 0 && index.bytes() > before,
            () -> "retention's move never started: no table of its size made ready");
        index.settle();
        assertThat(index.forgotten()).isEqualTo(parcels / 2);
        assertThat(index.size()).isEqualTo(parcels / 2);
        assertThat(index.latest(0x9E3779B97F4A7C15L)).isZero();
        assertThat(index.latest(parcels * 0x9E3779B97F4A7C15L)).as("kept, and found after the move").isEqualTo(2L * parcels);
    }

    @Test
    void replaysBatchedUpdatesExactlyAsOneByOne() {
        // Replay's batches must leave the index as the writer's one-by-one updates would: the
        // same latest record for every parcel (a parcel twice in one batch included), the same
        // quality figures, across doublings.
        final ParcelIndex oneByOne = new ParcelIndex(1L << 30);
        final ParcelIndex batched = new ParcelIndex(1L << 30);
        final java.util.Random random = new java.util.Random(42);
        final int[] kinds = {EventKind.ARRIVAL.code(), EventKind.SORT_REQUEST.code(), EventKind.CONFIRM_DIVERTED.code(),
            EventKind.LOADING.code()};
        final int parcels = 200_000;
        for (long index = 1; index <= 1_000_000; index++) {
            final long hash = (1 + random.nextInt(parcels)) * 0x9E3779B97F4A7C15L;
            final int kind = kinds[random.nextInt(kinds.length)];
            final int outlet = random.nextInt(4);
            oneByOne.record(hash, index, kind, outlet);
            batched.recordBatched(hash, index, kind, outlet);
        }
        batched.flush();
        assertThat(batched.size()).isEqualTo(oneByOne.size());
        for (int p = 1; p <= parcels; p++) {
            assertThat(batched.latest(p * 0x9E3779B97F4A7C15L)).as("parcel %d", p).isEqualTo(oneByOne.latest(p * 0x9E3779B97F4A7C15L));
        }
        assertThat(batched.quality().inducted()).isEqualTo(oneByOne.quality().inducted()).isPositive();
        assertThat(batched.quality().loaded()).isEqualTo(oneByOne.quality().loaded()).isPositive();
        assertThat(batched.quality().confirmed()).isEqualTo(oneByOne.quality().confirmed()).isPositive();
        assertThat(batched.quality().missorted()).isEqualTo(oneByOne.quality().missorted()).isPositive();
    }

    @Test
    void everyParcelIsFoundAfterTheTableMovedToNewMemoryAtEachDoubling() {
        // From 65,536 slots to 2^21: five doublings, each into a new block, the old one freed.
        final ParcelIndex index = new ParcelIndex(1L << 30);
        final int parcels = 1_500_000;
        for (int i = 1; i <= parcels; i++) {
            index.record(i * 0x9E3779B97F4A7C15L, i, 0, 0);
        }
        for (int i = 1; i <= parcels; i += 997) {
            assertThat(index.latest(i * 0x9E3779B97F4A7C15L)).isEqualTo(i);
        }
        assertThat(index.size()).isEqualTo(parcels);
    }

    @Test
    void aDoublingMovesTheTableOverLaterUpdatesAndEveryParcelIsFoundMeanwhile() {
        // 65,536 slots double at 49,152 parcels. The update that doubles moves only a few
        // slots, so both tables are held after it, and every parcel is found in one of them.
        final ParcelIndex index = new ParcelIndex(1L << 30);
        final int full = 49_152;
        for (int i = 1; i <= full; i++) {
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.SORT_REQUEST.code(), 1 + i % 7);
        }
        assertThat(index.bytes()).isEqualTo(19L * 65_536);
        awaitNextTable(index);
        index.record((full + 1) * 0x9E3779B97F4A7C15L, full + 1, EventKind.SORT_REQUEST.code(), 3);
        assertThat(index.bytes()).as("the old table is still held: it moves over later updates").isEqualTo(19L * (65_536 + 131_072));
        assertThat(index.size()).isEqualTo(full + 1);
        for (int i = 1; i <= full + 1; i++) {
            assertThat(index.latest(i * 0x9E3779B97F4A7C15L)).as("parcel %d mid-move", i).isEqualTo(i);
        }
        assertThat(index.moveWhileIdle()).as("a slice of the move while the writer is idle").isEqualTo(64);
        // Confirming each parcel mid-move: the previous index and the decided outlet come along.
        for (int i = 1; i <= 2_000; i++) {
            assertThat(index.record(i * 0x9E3779B97F4A7C15L, 100_000 + i, EventKind.CONFIRM_DIVERTED.code(), 1 + i % 7))
                .isEqualTo(i);
        }
        assertThat(index.quality().missorted()).isZero();
        assertThat(index.quality().confirmed()).isEqualTo(2_000);
        for (int i = full + 2; i <= full + 10_000; i++) { // enough updates to finish the move (8 slots each)
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.ARRIVAL.code(), 0);
        }
        assertThat(index.bytes()).as("the old table given back").isEqualTo(19L * 131_072);
        assertThat(index.moveWhileIdle()).as("nothing left to move").isZero();
        for (int i = 1; i <= full + 10_000; i++) {
            assertThat(index.latest(i * 0x9E3779B97F4A7C15L)).isEqualTo(i <= 2_000 ? 100_000 + i : i);
        }
        assertThat(index.size()).isEqualTo(full + 10_000);
    }

    @Test
    void atItsBoundTheOlderHalfIsForgottenAtOnceAndItsSlotsGivenBackOverLaterUpdates() {
        final ParcelIndex index = new ParcelIndex(19L << 18); // 131,072 slots at most: half the bound
        int i = 0;
        while (index.bytes() < 19L * 2 * 131_072) { // a doubling moves 65,536 + 131,072 slots; the clean-up two tables of 131,072
            i++;
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.ARRIVAL.code(), 0);
        }
        // The update that found the table full started the clean-up: both tables held, within the bound.
        assertThat(index.bytes()).isEqualTo(19L * 2 * 131_072).isLessThanOrEqualTo(19L << 18);
        assertThat(index.latest(0x9E3779B97F4A7C15L)).as("the oldest is forgotten before its slot moves").isZero();
        assertThat(index.latest(i * 0x9E3779B97F4A7C15L)).as("the newest kept").isEqualTo(i);
        index.settle();
        assertThat(index.bytes()).isEqualTo(19L * 131_072);
        assertThat(index.evicted()).isBetween(i / 3L, 2L * i / 3);
        assertThat(index.size() + index.evicted()).isEqualTo(i);
    }

    @Test
    void aParcelEvictedMidMoveAndSeenAgainIsCountedOnce() {
        // The clean-up at the bound drops parcels as its cursor passes them; one seen again
        // after that is a new parcel, and nothing is counted twice.
        final ParcelIndex index = new ParcelIndex(19L << 18);
        int i = 0;
        while (index.bytes() < 19L * 2 * 131_072) {
            i++;
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.ARRIVAL.code(), 0);
        }
        final int seen = i;
        for (int n = 0; n < 8_000; n++) { // the cursor passes a quarter of the old table
            i++;
            index.record(i * 0x9E3779B97F4A7C15L, i, EventKind.ARRIVAL.code(), 0);
        }
        int births = i;
        for (int p = 1; p <= 2_000; p++) { // the oldest parcels, some dropped already, some still in the old table
            if (index.record(p * 0x9E3779B97F4A7C15L, ++i, EventKind.ARRIVAL.code(), 0) == 0) {
                births++;
            }
        }
        index.settle();
        assertThat(index.evicted()).isPositive();
        assertThat(index.size() + index.evicted()).as("every parcel counted once: kept or evicted").isEqualTo(births);
        for (int p = 1; p <= 2_000; p++) {
            assertThat(index.latest(p * 0x9E3779B97F4A7C15L)).isEqualTo(seen + 8_000 + p);
        }
    }

    @Test
    void agreesWithAPlainMapThroughDoublingsEvictionsAndRepeatedForgetting() {
        // A model: the latest index of each parcel. The index may have forgotten a parcel the
        // model knows (evicted at the bound, or before the retention floor), never anything
        // else; what it answers is the model's answer; each record's previous index is what
        // latest() said just before; every parcel born is kept, evicted or forgotten once.
        final ParcelIndex index = new ParcelIndex(19L << 19);
        final java.util.Map<Long, Long> model = new java.util.HashMap<>();
        final java.util.Random random = new java.util.Random(7);
        long births = 0;
        long floor = 0;
        for (long at = 1; at <= 1_500_000; at++) {
            final long hash = random.nextInt(random.nextInt(10) == 0 ? 400_000 : (int) Math.min(at, 400_000) + 1) * 0x9E3779B97F4A7C15L;
            final long expected = index.latest(hash);
            final Long known = model.get(hash);
            assertThat(expected == 0 || (known != null && known == expected)).as("at %d", at).isTrue();
            assertThat(index.record(hash, at, EventKind.ARRIVAL.code(), 0)).isEqualTo(expected);
            if (expected == 0) {
                births++;
            }
            model.put(hash, at);
            if (at % 200_000 == 0) { // retention: forget what is older than 150,000 records
                floor = at - 150_000;
                index.forgetBefore(floor);
            }
            if (at % 50_000 == 0) {
                assertThat(index.latest(hash)).isEqualTo(at);
            }
            if (at % 1_000 == 0) { // the writer idle for a moment
                index.moveWhileIdle();
            }
        }
        index.settle();
        assertThat(index.evicted()).isPositive();
        assertThat(index.forgotten()).isPositive();
        assertThat(index.size() + index.evicted() + index.forgotten()).isEqualTo(births);
        for (java.util.Map.Entry<Long, Long> e : model.entrySet()) {
            final long latest = index.latest(e.getKey());
            assertThat(latest == 0 || latest == e.getValue()).isTrue();
            if (e.getValue() < floor) {
                assertThat(latest).as("older than the floor").isZero();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void retentionPassesThatForgetLittleNeverFillTheTable() {
        // A full table (three quarters), then passes that each forget a few percent, with a
        // burst of new parcels and an idle writer finishing what moves between them. Each
        // pass used to start a move that ended fuller than it began, until no slot was free.
        final ParcelIndex index = new ParcelIndex(1L << 30);
        long at = 0;
        long births = 0;
        while (index.bytes() < 19L * (65_536 + 131_072)) { // up to the first doubling
            at++;
            index.record(at * 0x9E3779B97F4A7C15L, at, EventKind.ARRIVAL.code(), 0);
            births++;
        }
        index.settle();
        for (int pass = 0; pass < 40; pass++) {
            index.forgetBefore(1 + at / 30 * (pass + 1) / 40); // a few percent more each pass
            for (int n = 0; n < 6_000; n++) {
                at++;
                if (index.record(at * 0x9E3779B97F4A7C15L, at, EventKind.ARRIVAL.code(), 0) == 0) {
                    births++;
                }
            }
            while (index.moveWhileIdle() > 0) {
                // the idle writer finishes the move
            }
            assertThat(index.size()).as("pass %d", pass).isLessThan((int) (index.bytes() / 19));
        }
        assertThat(index.size() + index.evicted() + index.forgotten()).isEqualTo(births);
        assertThat(index.latest(at * 0x9E3779B97F4A7C15L)).isEqualTo(at);
    }

    @Test
    void replayAtTheBoundKeepsTheNewestAndAnswersOnlyWhatWasRecorded() {
        // Replay's batches move a table in one pass, also at the bound: what the index still
        // knows is each parcel's latest record, and the newest parcels are kept.
        final ParcelIndex index = new ParcelIndex(19L << 18);
        final long[] latest = new long[600_001];
        final java.util.Random random = new java.util.Random(3);
        for (long at = 1; at <= 1_200_000; at++) {
            final int parcel = at <= 600_000 ? (int) at : 1 + random.nextInt(600_000);
            latest[parcel] = at;
            index.recordBatched(parcel * 0x9E3779B97F4A7C15L, at, EventKind.ARRIVAL.code(), 0);
        }
        index.flush();
        assertThat(index.evicted()).isPositive();
        assertThat(index.bytes()).as("no move left under way").isLessThanOrEqualTo(19L * 131_072);
        int kept = 0;
        for (int p = 1; p <= 600_000; p++) {
            final long found = index.latest(p * 0x9E3779B97F4A7C15L);
            assertThat(found == 0 || found == latest[p]).as("parcel %d", p).isTrue();
            if (found != 0) {
                kept++;
            }
        }
        assertThat(kept).isEqualTo(index.size()).isPositive();
    }
}
