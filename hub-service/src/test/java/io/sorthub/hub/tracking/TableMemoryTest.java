package io.sorthub.hub.tracking;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableMemoryTest {
    @Test
    void aLargeTableIsZeroedWritableAndStartsOnAHugePageBoundaryOnLinux() {
        final long bytes = (8L << 20) + 12_345;
        final TableMemory memory = TableMemory.allocate(bytes);
        final UnsafeBuffer table = new UnsafeBuffer(memory.address(), (int) bytes);
        for (int at = 0; at + Long.BYTES <= bytes; at += 4096) {
            assertThat(table.getLong(at)).as("at %d", at).isZero();
            table.putLong(at, at + 1L);
        }
        assertThat(table.getByte((int) bytes - 1)).isZero();
        for (int at = 0; at + Long.BYTES <= bytes; at += 4096) {
            assertThat(table.getLong(at)).isEqualTo(at + 1L);
        }
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(memory.address() & ((2L << 20) - 1)).as("2 MiB aligned").isZero();
        }
        memory.free();
        memory.free(); // once only: a second free is harmless
    }

    @Test
    void aSmallTableIsADirectBuffer() {
        final TableMemory memory = TableMemory.allocate(1000);
        final UnsafeBuffer table = new UnsafeBuffer(memory.address(), 1000);
        table.putLong(992, 7);
        assertThat(table.getLong(992)).isEqualTo(7);
        assertThat(table.getLong(0)).isZero();
        memory.free();
    }

    @Test
    void aTableThatGrowsMillionsOfTimesOverKeepsEveryParcel() {
        // The index's columns move to a new block at each doubling and the old one is freed:
        // every parcel must still be found, with its latest record.
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
}
