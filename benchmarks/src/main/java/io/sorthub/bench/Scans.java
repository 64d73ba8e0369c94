package io.sorthub.bench;

import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.ServiceClass;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/** Realistic SCAN frames for the benchmarks, encoded once into direct memory. */
public final class Scans {
    static final String[] DESTINATIONS = {"100080", "518057", "599999", "200001", "999999", "430070", "310012", "610041"};

    private Scans() {
    }

    /**
     * One typical journal record (a SORT_REQUEST with its RULE decision, 119 bytes) written
     * into {@code record}; returns its length. The record the append benchmarks and the
     * raw-journal baseline use.
     */
    public static int journalRecord(UnsafeBuffer record) {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(frame, 0).sequence(1).deviceTimeMs(1_763_800_000_000L)
            .kind(EventKind.SORT_REQUEST).weightGrams(1200).dimensionsMm(300, 200, 100)
            .strings("TUNNEL-01", "SH4242-1234567", "518057", "CUST-A");
        return io.sorthub.hub.journal.ScanRecord.encode(record, 0, 1, 0,
            new io.sorthub.hub.routing.Decision().set(5, io.sorthub.protocol.DecisionReason.RULE, 50, 1), scan);
    }

    /** @return a direct buffer holding {@code count} back-to-back SORT_REQUEST frames; offsets in {@code offsets}. */
    static UnsafeBuffer sortRequests(int count, int[] offsets) {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(count * 128));
        final ScanFlyweight scan = new ScanFlyweight();
        int offset = 0;
        for (int i = 0; i < count; i++) {
            offsets[i] = offset;
            scan.wrapForEncode(buffer, offset).sequence(i + 1).deviceTimeMs(1_763_800_000_000L + i)
                .weightGrams(1200).dimensionsMm(300, 200, 100).kind(EventKind.SORT_REQUEST)
                .serviceClass(ServiceClass.STANDARD)
                .strings("TUNNEL-01", "SF" + (1_000_000_000L + i * 7919L), DESTINATIONS[i % DESTINATIONS.length], "CUST-7");
            offset += scan.frameLength();
        }
        return buffer;
    }
}
