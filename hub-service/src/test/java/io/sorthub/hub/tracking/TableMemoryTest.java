package io.sorthub.hub.tracking;

import io.sorthub.test.Mappings;
import io.sorthub.test.Mappings.Mapping;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TableMemoryTest {
    @Test
    void aLargeTableIsZeroedWritableAndAdvisedForHugePagesOnLinux() throws Exception {
        final long bytes = (8L << 20) + 12_345;
        final TableMemory memory = TableMemory.allocate(bytes, true);
        final UnsafeBuffer table = new UnsafeBuffer(memory.address(), (int) bytes);
        for (int at = 0; at + Long.BYTES <= bytes; at += 4096) {
            assertThat(table.getLong(at)).as("at %d", at).isZero();
            table.putLong(at, at + 1L);
        }
        assertThat(table.getByte((int) bytes - 1)).isZero();
        for (int at = 0; at + Long.BYTES <= bytes; at += 4096) {
            assertThat(table.getLong(at)).isEqualTo(at + 1L);
        }
        assumeTrue(Mappings.available(), "Linux only");
        assertThat(memory.address() & ((2L << 20) - 1)).as("2 MiB aligned").isZero();
        final Mapping mapping = Mappings.of(memory.address());
        assertThat(mapping).as("mapped").isNotNull();
        assertThat(mapping.flags()).as("advised for huge pages (VmFlags hg)").contains("hg");
        assertThat(mapping.end()).as("the advice stays inside the mapping").isGreaterThanOrEqualTo(memory.address() + bytes);
        memory.free();
        final Mapping after = Mappings.of(memory.address());
        assertThat(after == null || !after.has("hg")).as("unmapped by free()").isTrue();
        memory.free(); // once only: a second free is harmless
    }

    @Test
    void aTableForTheLiveWriterIsMappedWithoutTheHugePageAdvice() throws Exception {
        final long bytes = 8L << 20;
        final TableMemory memory = TableMemory.allocate(bytes, false);
        final UnsafeBuffer table = new UnsafeBuffer(memory.address(), (int) bytes);
        table.putLong(4096, 7);
        assertThat(table.getLong(4096)).isEqualTo(7);
        assertThat(table.getLong(0)).isZero();
        assumeTrue(Mappings.available(), "Linux only");
        final Mapping mapping = Mappings.of(memory.address());
        assertThat(mapping).as("mapped").isNotNull();
        assertThat(mapping.flags()).as("advised against huge pages (VmFlags nh), not for them (hg)").contains("nh")
            .doesNotContain("hg");
        memory.free();
    }

    @Test
    @Timeout(30)
    void aTableForTheLiveWriterIsFaultedInByAThreadOfItsOwn() throws Exception {
        assumeTrue(Mappings.available(), "Linux only");
        assumeTrue(kernelAtLeast(5, 14), "MADV_POPULATE_WRITE came with Linux 5.14");
        final long bytes = 16L << 20;
        final TableMemory memory = TableMemory.allocate(bytes, false);
        // Nothing here touches the table: its pages come in on the background thread.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Mapping mapping = Mappings.of(memory.address());
        while (mapping.residentBytes() < bytes && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            mapping = Mappings.of(memory.address());
        }
        assertThat(mapping.residentBytes()).as("bytes of the table in memory, untouched by this thread").isGreaterThanOrEqualTo(bytes);
        final UnsafeBuffer table = new UnsafeBuffer(memory.address(), (int) bytes);
        assertThat(table.getLong(0)).isZero();
        assertThat(table.getLong((int) bytes - Long.BYTES)).isZero();
        memory.free();
        assertThat(Mappings.of(memory.address())).as("unmapped by free()").satisfiesAnyOf(
            m -> assertThat(m).isNull(), m -> assertThat(m.has("nh")).isFalse());
    }

    private static boolean kernelAtLeast(int major, int minor) {
        final String[] v = System.getProperty("os.version").split("[^0-9]+");
        final int ma = Integer.parseInt(v[0]);
        final int mi = v.length > 1 ? Integer.parseInt(v[1]) : 0;
        return ma > major || (ma == major && mi >= minor);
    }

    @Test
    void aSmallTableIsZeroedMemoryOfItsOwn() {
        final TableMemory memory = TableMemory.allocate(1000, true);
        final UnsafeBuffer table = new UnsafeBuffer(memory.address(), 1000);
        for (int at = 0; at < 1000; at++) {
            assertThat(table.getByte(at)).isZero();
        }
        table.putLong(992, 7);
        assertThat(table.getLong(992)).isEqualTo(7);
        memory.free();
    }
}
