package io.sorthub.hub.tracking;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux only");
        assertThat(memory.address() & ((2L << 20) - 1)).as("2 MiB aligned").isZero();
        final Mapping mapping = mappingOf(memory.address());
        assertThat(mapping).as("mapped").isNotNull();
        assertThat(mapping.flags).as("advised for huge pages (VmFlags hg)").contains("hg");
        assertThat(mapping.end).as("the advice stays inside the mapping").isGreaterThanOrEqualTo(memory.address() + bytes);
        memory.free();
        final Mapping after = mappingOf(memory.address());
        assertThat(after == null || !after.flags.contains("hg")).as("unmapped by free()").isTrue();
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
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux only");
        final Mapping mapping = mappingOf(memory.address());
        assertThat(mapping).as("mapped").isNotNull();
        assertThat(mapping.flags).as("advised against huge pages (VmFlags nh), not for them (hg)").contains("nh")
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

    private record Mapping(long start, long end, String flags) {
    }

    /** The mapping of /proc/self/smaps that holds {@code address}, with its VmFlags; null when none. */
    private static Mapping mappingOf(long address) throws Exception {
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            if (dash <= 0 || space < dash || !line.substring(0, dash).matches("[0-9a-f]+")) {
                continue;
            }
            final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
            if (address >= start && address < end) {
                for (int j = i + 1; j < lines.size(); j++) {
                    if (lines.get(j).startsWith("VmFlags:")) {
                        return new Mapping(start, end, lines.get(j));
                    }
                }
            }
        }
        return null;
    }
}
