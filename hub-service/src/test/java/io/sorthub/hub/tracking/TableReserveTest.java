package io.sorthub.hub.tracking;

import io.sorthub.test.Await;
import io.sorthub.test.Mappings;
import io.sorthub.test.Mappings.Mapping;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TableReserveTest {
    private static final long BYTES = 8L << 20;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theNextTableIsMadeReadyInMemoryBeforeItIsTaken() throws Exception {
        final TableMemory untouched = TableMemory.allocate(BYTES, false);
        final Mapping fresh = Mappings.available() ? Mappings.of(untouched.address()) : null;
        assumeTrue(fresh != null && fresh.has("nh"), "Linux, with native calls: a mapping of its own");
        assertThat(fresh.residentBytes()).as("a fresh mapping is not in memory: its first touches fault").isLessThan(BYTES / 4);
        untouched.free();

        final TableReserve reserve = new TableReserve();
        reserve.request(BYTES, null);
        assertThat(reserve.asked(BYTES)).isTrue();
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        assertThat(reserve.heldBytes()).isEqualTo(BYTES);
        assertThat(reserve.takeIfReady(BYTES * 2)).as("not the size asked for: left where it is").isNull();
        final TableMemory taken = reserve.takeIfReady(BYTES);
        assertThat(taken).isNotNull();
        assertThat(taken.bytes()).isEqualTo(BYTES);
        assertThat(reserve.heldBytes()).isZero();
        assertThat(reserve.asked(BYTES)).as("the request is over once taken").isFalse();
        final Mapping mapping = Mappings.of(taken.address());
        assertThat(mapping.residentBytes()).as("every page in memory already").isGreaterThanOrEqualTo(BYTES);
        assertThat(mapping.flags()).as("a table for the live writer: 4 KiB pages").contains("nh");
        final UnsafeBuffer table = new UnsafeBuffer(taken.address(), (int) BYTES);
        for (int at = 0; at < BYTES; at += 4096) {
            assertThat(table.getLong(at)).as("zeroed at %d", at).isZero();
        }
        taken.free();
    }

    @Test
    void aTableOfTheSizeAskedForIsZeroedAgainNotMappedAnew() {
        final TableReserve reserve = new TableReserve();
        final TableMemory used = TableMemory.allocate(BYTES, false);
        final UnsafeBuffer table = new UnsafeBuffer(used.address(), (int) BYTES);
        for (int at = 0; at < BYTES; at += 512) {
            table.putLong(at, at + 1L);
        }
        reserve.request(BYTES, used);
        assertThat(reserve.heldBytes()).as("the table handed over counts at once").isEqualTo(BYTES);
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        final TableMemory taken = reserve.takeIfReady(BYTES);
        assertThat(taken).as("the same table back").isSameAs(used);
        for (int at = 0; at < BYTES; at += 8) {
            if (table.getLong(at) != 0) {
                throw new AssertionError("not zeroed at " + at);
            }
        }
        taken.free();
    }

    @Test
    void aTableOfAnotherSizeIsUnmappedBeforeANewOneIsMade() throws Exception {
        final TableReserve reserve = new TableReserve();
        final TableMemory smaller = TableMemory.allocate(BYTES / 2, false);
        final long old = smaller.address();
        final CountDownLatch go = blockMemoryThread();
        reserve.request(BYTES, smaller);
        assertThat(reserve.heldBytes()).isEqualTo(BYTES / 2);
        go.countDown();
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        assertThat(reserve.heldBytes()).as("only the new table").isEqualTo(BYTES);
        if (Mappings.available()) {
            final long made = reserve.readyAddress();
            final Mapping after = Mappings.of(old);
            assertThat(after == null || !after.has("nh") || made >= after.start() && made < after.end())
                .as("the smaller table unmapped (its addresses free, or the new table's)").isTrue();
        }
        reserve.takeIfReady(BYTES).free();
    }

    @Test
    void whatACancelledRequestMadeIsUnmappedAndNeverHandedOut() throws Exception {
        final TableReserve reserve = new TableReserve();
        final CountDownLatch go = blockMemoryThread();
        reserve.request(BYTES, null);
        assertThat(reserve.takeIfReady(BYTES)).as("not ready yet").isNull();
        assertThat(reserve.asked(BYTES)).as("still asked for").isTrue();
        reserve.cancel();
        assertThat(reserve.asked(BYTES)).isFalse();
        go.countDown();
        drainMemoryThread();
        assertThat(reserve.readyAddress()).as("nothing kept for a request that is over").isZero();
        assertThat(reserve.heldBytes()).as("and nothing held").isZero();
        assertThat(reserve.takeIfReady(BYTES)).isNull();
    }

    @Test
    void aNewRequestUnmapsTheTableMadeForTheOneBefore() throws Exception {
        final TableReserve reserve = new TableReserve();
        reserve.request(BYTES, null);
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        reserve.request(BYTES / 2, null);
        drainMemoryThread();
        assertThat(reserve.heldBytes()).as("the new one only").isEqualTo(BYTES / 2);
        assertThat(reserve.takeIfReady(BYTES)).isNull();
        reserve.takeIfReady(BYTES / 2).free();
    }

    /** Holds the memory thread until the latch is counted down. */
    static CountDownLatch blockMemoryThread() {
        final CountDownLatch go = new CountDownLatch(1);
        TableMemory.BACKGROUND.execute(() -> {
            try {
                go.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return go;
    }

    /** Returns once what the memory thread was given before has run. */
    static void drainMemoryThread() {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        TableMemory.BACKGROUND.execute(() -> done.complete(null));
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the memory thread did not get there", e);
        }
    }
}
