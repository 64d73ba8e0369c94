package io.sorthub.bench.rig;

import io.sorthub.hub.journal.ChronicleJournalWriter;
import io.sorthub.hub.journal.Durability;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Baseline for the load rig: how fast one thread appends the hub's own journal records
 * (a SCAN frame with its decision, ~150 bytes) to Chronicle Queue on this disk through the
 * hub's own writer, with nothing else going on, in batches of the writer's batch limit
 * and, with {@code sync}, one force (fdatasync) per batch as the hub does before its ACKs.
 * SortHub's end-to-end rate at each durability level is reported as a share of this.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.RawJournalBaseline RECORDS DIR [pagecache|sync]}
 */
public final class RawJournalBaseline {
    /** The hub writer's batch limit (records per force at saturation). */
    private static final int BATCH = 512;

    public static void main(String[] args) throws Exception {
        final long records = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        final Path dir = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of("."), "raw-journal");
        final Durability durability = Durability.parse(args.length > 2 ? args[2] : "pagecache");
        final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        final int length = io.sorthub.bench.Scans.journalRecord(record);
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
             ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, durability)) {
            final long start = System.nanoTime();
            for (long i = 1; i <= records; i++) {
                record.putLong(ScanRecord.SCAN_OFFSET + ScanFlyweight.SEQUENCE_OFFSET, i, io.sorthub.protocol.Frame.BYTE_ORDER);
                writer.append(record, 0, length);
                if (i % BATCH == 0) {
                    writer.force();
                }
            }
            writer.force();
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "{\"baseline\":\"raw-journal\",\"durability\":\"%s\",\"records\":%d,"
                + "\"recordBytes\":%d,\"batch\":%d,\"seconds\":%.3f,\"ratePerSecond\":%.0f}%n", durability.label(), records,
                length, BATCH, seconds, records / seconds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
