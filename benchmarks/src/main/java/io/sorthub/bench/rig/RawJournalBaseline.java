package io.sorthub.bench.rig;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Baseline for the load rig: how fast one thread appends the hub's own journal records
 * (a SCAN frame with its decision, ~150 bytes) to Chronicle Queue on this disk, with
 * nothing else going on. SortHub's end-to-end rate is reported as a share of this.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.RawJournalBaseline RECORDS DIR}
 */
public final class RawJournalBaseline {
    public static void main(String[] args) throws Exception {
        final long records = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        final Path dir = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of("."), "raw-journal");
        final UnsafeBuffer record = new UnsafeBuffer(new byte[JournalRecord.MAX_LENGTH]);
        final int length = io.sorthub.bench.Scans.journalRecord(record);
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE); ExcerptAppender appender = journal.queue().createAppender()) {
            final long start = System.nanoTime();
            for (long i = 1; i <= records; i++) {
                record.putLong(JournalRecord.SCAN_OFFSET + ScanFlyweight.SEQUENCE_OFFSET, i, io.sorthub.protocol.Frame.BYTE_ORDER);
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(record.byteArray(), 0, length);
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "{\"baseline\":\"raw-journal\",\"records\":%d,\"recordBytes\":%d,\"seconds\":%.3f,"
                + "\"ratePerSecond\":%.0f}%n", records, length, seconds, records / seconds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
