package io.sorthub.hub.tracking;

import io.sorthub.test.Mappings;
import io.sorthub.test.Mappings.Mapping;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

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
