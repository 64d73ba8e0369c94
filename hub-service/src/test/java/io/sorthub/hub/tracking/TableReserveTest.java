package io.sorthub.hub.tracking;

import io.sorthub.test.Await;
import io.sorthub.test.Mappings;
import io.sorthub.test.Mappings.Mapping;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TableReserveTest {
    private static final long BYTES = 8L << 20;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theNextTableIsMadeReadyInMemoryBeforeItIsTaken() throws Exception {
        assumeTrue(Mappings.available(), "Linux only");
        final TableMemory untouched = TableMemory.allocate(BYTES, false);
        assertThat(Mappings.of(untouched.address()).residentBytes())
            .as("a fresh mapping is not in memory: its first touches fault").isLessThan(BYTES / 4);
        untouched.free();

        final TableReserve reserve = new TableReserve();
        reserve.request(BYTES, null);
        assertThat(reserve.reservedBytes()).isEqualTo(BYTES);
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        final TableMemory taken = reserve.take(BYTES);
        assertThat(taken).isNotNull();
        assertThat(taken.bytes()).isEqualTo(BYTES);
        assertThat(reserve.reservedBytes()).isZero();
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
    void aTableOfTheSizeAskedForIsZeroedAgainNotMappedAnew() throws Exception {
        final TableReserve reserve = new TableReserve();
        final TableMemory used = TableMemory.allocate(BYTES, false);
        final UnsafeBuffer table = new UnsafeBuffer(used.address(), (int) BYTES);
        for (int at = 0; at < BYTES; at += 512) {
            table.putLong(at, at + 1L);
        }
        reserve.request(BYTES, used);
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        final TableMemory taken = reserve.take(BYTES);
        assertThat(taken).as("the same table back").isSameAs(used);
        for (int at = 0; at < BYTES; at += 8) {
            if (table.getLong(at) != 0) {
                throw new AssertionError("not zeroed at " + at);
            }
        }
        taken.free();
    }

    @Test
    void aTableOfAnotherSizeIsUnmappedAndANewOneMade() throws Exception {
        assumeTrue(Mappings.available(), "Linux only");
        final TableReserve reserve = new TableReserve();
        final TableMemory smaller = TableMemory.allocate(BYTES / 2, false);
        final long old = smaller.address();
        reserve.request(BYTES, smaller);
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        assertThat(reserve.readyAddress()).isNotEqualTo(old);
        final long made = reserve.readyAddress();
        final Mapping after = Mappings.of(old);
        assertThat(after == null || !after.has("nh") || made >= after.start() && made < after.end())
            .as("the smaller table unmapped (its addresses free, or the new table's)").isTrue();
        final TableMemory taken = reserve.take(BYTES);
        assertThat(taken.bytes()).isEqualTo(BYTES);
        taken.free();
    }

    @Test
    void aTakeOfAnotherSizeOrBeforeTheTableIsReadyGetsNothingAndLeavesNothingMapped() throws Exception {
        final TableReserve reserve = new TableReserve();
        reserve.request(BYTES, null);
        Await.until(WAIT, () -> reserve.readyAddress() != 0, () -> "no table made ready");
        final long made = reserve.readyAddress();
        assertThat(reserve.take(BYTES * 2)).as("not the size the move needs").isNull();
        drainMemoryThread();
        if (Mappings.available()) {
            final Mapping after = Mappings.of(made);
            assertThat(after == null || !after.has("nh")).as("the unused table unmapped").isTrue();
        }

        reserve.request(BYTES, null);
        final TableMemory early = reserve.take(BYTES); // most likely before the memory thread got to it
        drainMemoryThread();
        assertThat(reserve.readyAddress()).as("work for a request already over is not kept").isZero();
        if (early != null) {
            early.free();
        }
    }

    /** Returns once what the memory thread was given before has run. */
    private static void drainMemoryThread() throws Exception {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        TableMemory.BACKGROUND.execute(() -> done.complete(null));
        done.get(20, TimeUnit.SECONDS);
    }
}
