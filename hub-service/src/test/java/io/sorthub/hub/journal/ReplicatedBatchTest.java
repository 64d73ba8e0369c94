package io.sorthub.hub.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.sorthub.protocol.Frame.BYTE_ORDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pair log's batch format: what the active's writer encodes, a reader gets back record by record. */
class ReplicatedBatchTest {
    private static List<byte[]> decode(ReplicatedBatch batch) {
        final List<byte[]> records = new ArrayList<>();
        final int count = batch.forEachRecord((buffer, offset, length) -> {
            final byte[] record = new byte[length];
            buffer.getBytes(offset, record);
            records.add(record);
        });
        assertThat(count).isEqualTo(records.size());
        return records;
    }

    private static byte[] encode(StagedBatch staged) {
        final int length = staged.encode();
        final byte[] value = new byte[length];
        staged.encoded().getBytes(0, value);
        return value;
    }

    /** A batch as raw bytes: header with {@code version} and {@code count}, then each record with its length word. */
    private static byte[] raw(int version, int count, int[] lengths) {
        final int size = StagedBatch.HEADER_LENGTH + Arrays.stream(lengths).map(length -> 4 + Math.max(length, 0)).sum();
        final ByteBuffer out = ByteBuffer.allocate(size).order(BYTE_ORDER);
        out.put((byte) version).put((byte) 0).putShort((short) 0).putInt(count);
        for (int length : lengths) {
            out.putInt(length);
            out.position(out.position() + Math.max(length, 0));
        }
        return out.array();
    }

    @Test
    void recordsComeBackInTheOrderTheyWereStagedWithTheirBytes() {
        final StagedBatch staged = new StagedBatch(4, 8);
        final byte[] scan = new byte[ScanRecord.FIXED_LENGTH + 21];
        Arrays.fill(scan, (byte) 0x5A);
        scan[RecordFlyweight.TYPE_OFFSET] = JournalRecord.TYPE_SCAN;
        final byte[] audit = AuditRecord.encode("ops", "switchover", 42);
        final byte[] state = OutletStateRecord.encode(7, 2, 43, "ops");
        staged.stageScan(new UnsafeBuffer(scan), 0, scan.length);
        staged.stageControl(audit);
        staged.stageControl(state);

        assertThat(decode(new ReplicatedBatch(5, encode(staged)))).containsExactly(scan, audit, state);
    }

    @Test
    void anEmptyBatchHasNoRecords() {
        assertThat(decode(new ReplicatedBatch(0, encode(new StagedBatch(1, 1))))).isEmpty();
    }

    @Test
    void bytesOfAnotherFormatVersionAreRefusedWithTheirLogPosition() {
        assertThatThrownBy(() -> decode(new ReplicatedBatch(7, raw(2, 0, new int[0]))))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("pair log position 7: not a replicated batch of version 1");
    }

    @Test
    void bytesShorterThanTheHeaderAreRefused() {
        assertThatThrownBy(() -> decode(new ReplicatedBatch(8, new byte[] {1, 0, 0})))
            .hasMessage("pair log position 8: not a replicated batch of version 1");
    }

    @Test
    void aRecordLongerThanWhatIsLeftIsRefusedAfterTheRecordsBeforeIt() {
        final byte[] value = raw(1, 2, new int[] {3, 4});
        final byte[] cut = Arrays.copyOf(value, value.length - 1);
        final List<Integer> seen = new ArrayList<>();
        final ReplicatedBatch batch = new ReplicatedBatch(9, cut);
        assertThatThrownBy(() -> batch.forEachRecord((buffer, offset, length) -> seen.add(length)))
            .hasMessage("pair log position 9: record 1 of 2 runs past the batch");
        assertThat(seen).containsExactly(3);
    }

    @Test
    void aCountLargerThanTheRecordsPresentIsRefused() {
        assertThatThrownBy(() -> decode(new ReplicatedBatch(10, raw(1, 3, new int[] {3, 4}))))
            .hasMessage("pair log position 10: record 2 of 3 runs past the batch");
    }

    @Test
    void emptyNegativeAndOverflowingLengthsAreRefused() {
        for (int length : new int[] {0, -1, Integer.MAX_VALUE, Integer.MAX_VALUE - 3}) {
            final byte[] value = raw(1, 1, new int[] {0});
            new UnsafeBuffer(value).putInt(StagedBatch.HEADER_LENGTH, length, BYTE_ORDER);
            assertThatThrownBy(() -> decode(new ReplicatedBatch(11, value))).as("length %d", length)
                .hasMessage("pair log position 11: record 0 of 1 runs past the batch");
        }
    }
}
