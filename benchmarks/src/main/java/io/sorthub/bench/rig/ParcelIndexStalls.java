package io.sorthub.bench.rig;

import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.protocol.EventKind;

import java.util.SplittableRandom;

/**
 * How long the journal writer can be held by one parcel index update: records PARCELS new
 * parcels (random hashes) into an index bounded to BOUND bytes, as the writer does at one
 * update per new parcel, and prints every update that took over a millisecond, then the
 * longest. Doublings and the clean-ups at the bound happen on the way; every ACK waiting for
 * the writer waits for the update that does them.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.ParcelIndexStalls [PARCELS] [BOUND]}
 * (defaults 8,000,000 and 268,435,456: the bound a hub with {@code -Xmx512m} takes).
 */
public final class ParcelIndexStalls {
    public static void main(String[] args) {
        final int parcels = args.length > 0 ? Integer.parseInt(args[0]) : 8_000_000;
        final long bound = args.length > 1 ? Long.parseLong(args[1]) : 256L << 20;
        final ParcelIndex index = new ParcelIndex(bound);
        final SplittableRandom random = new SplittableRandom(1);
        long longest = 0;
        int over = 0;
        for (int i = 1; i <= parcels; i++) {
            final long hash = random.nextLong();
            final long start = System.nanoTime();
            index.record(hash, i, EventKind.SORT_REQUEST.code(), 1);
            final long took = System.nanoTime() - start;
            longest = Math.max(longest, took);
            if (took > 1_000_000) {
                over++;
                System.out.printf("parcel %,d: the update took %.1f ms (%,d bytes held)%n", i, took / 1e6, index.bytes());
            }
        }
        System.out.printf("%,d parcels, bound %,d bytes: %d updates over 1 ms, the longest %.1f ms; %,d evicted%n",
            parcels, bound, over, longest / 1e6, index.evicted());
    }
}
