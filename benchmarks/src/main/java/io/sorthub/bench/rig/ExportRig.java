package io.sorthub.bench.rig;

import io.sorthub.hub.export.KafkaExport;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.routing.Decision;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The journal exporter's throughput on this machine: a journal of RECORDS scan events (three
 * events per parcel, a hub's real mix of record sizes) is written first, then hub-service's
 * exporter publishes it from the start to an in-process Kafka broker (KRaft, one combined
 * node, 8 partitions) with its production settings (idempotent, acks=all, lz4), and the rig
 * times it until the broker has acknowledged the last record.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.ExportRig RECORDS DIR}
 */
public final class ExportRig {
    public static void main(String[] args) throws Exception {
        final long records = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        final Path base = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of("."), "export-rig");
        try (Journal journal = new Journal(base.resolve("journal"), Journal.DEFAULT_ROLL_CYCLE)) {
            final long written = write(journal, records);
            final long last = journal.queue().lastIndex();
            try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBaseDirectory(base.resolve("kafka")).build())
                .setConfigProp("log.flush.interval.messages", Long.MAX_VALUE) // page cache, as Kafka runs in production
                .build()) {
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                try (var admin = cluster.admin()) {
                    admin.createTopics(List.of(new NewTopic("sorthub.scans", 8, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
                final long start = System.nanoTime();
                try (KafkaExport export = new KafkaExport(new KafkaExport.Settings(cluster.bootstrapServers(),
                    "sorthub.scans", "rig", "rig-hub", Map.of()), journal, base.resolve("export"), null, null,
                    new org.agrona.concurrent.SleepingMillisIdleStrategy(1), io.sorthub.kit.time.Clocks.system())) {
                    final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                    while (export.agent().acknowledgedIndex() < last) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("export stalled at journal index "
                                + export.agent().acknowledgedIndex() + " of " + last);
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // poll the acknowledged position
                    }
                    final double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "{\"rig\":\"journal-export\",\"records\":%d,\"seconds\":%.3f,"
                        + "\"ratePerSecond\":%.0f,\"exported\":%d,\"sendErrors\":%d}%n", written, seconds,
                        written / seconds, export.agent().exported(), export.agent().sendErrors());
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Arrival, sort request and confirmation of each parcel, as a hub journals them. */
    private static long write(Journal journal, long records) {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        final ScanFlyweight scan = new ScanFlyweight();
        final Decision decision = new Decision();
        final EventKind[] kinds = {EventKind.ARRIVAL, EventKind.SORT_REQUEST, EventKind.CONFIRM_DIVERTED};
        try (ExcerptAppender appender = journal.queue().createAppender()) {
            for (long i = 0; i < records; i++) {
                final EventKind kind = kinds[(int) (i % 3)];
                scan.wrapForEncode(frame, 0).sequence(i + 1).deviceTimeMs(1_763_800_000_000L + i).kind(kind)
                    .weightGrams(1200).dimensionsMm(300, 200, 100).outlet(kind == EventKind.CONFIRM_DIVERTED ? 5 : 0)
                    .strings("TUNNEL-01", "SF" + (1_000_000_000L + i / 3), "518057", "CUST-A");
                decision.set(kind == EventKind.SORT_REQUEST ? 5 : 0, DecisionReason.RULE, 50, 1);
                final int length = ScanRecord.encode(record, 0, 1, System.currentTimeMillis() * 1_000_000L,
                    decision, scan);
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(record.byteArray(), 0, length);
                }
            }
        }
        return records;
    }
}
