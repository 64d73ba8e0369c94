package io.sorthub.bench.rig;

import io.sorthub.gateway.sim.TrafficGenerator;
import io.sorthub.protocol.ScanFlyweight;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load rig's peer: the same scan events (SCAN frames from the simulator's traffic,
 * keyed by barcode) sent by one idempotent producer with acks=all to an in-process Apache
 * Kafka broker (KRaft, one combined node, 4 partitions) on 127.0.0.1. Open loop at a rate,
 * or as fast as acknowledgements allow with a bounded number in flight; latency from the
 * intended send time to the broker's acknowledgement.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.KafkaPeer RATE SECONDS DIR} (RATE 0 = saturation)
 */
public final class KafkaPeer {
    private static final int IN_FLIGHT = 200_000;

    public static void main(String[] args) throws Exception {
        final long rate = args.length > 0 ? Long.parseLong(args[0]) : 0;
        final long seconds = args.length > 1 ? Long.parseLong(args[1]) : 30;
        final Path base = Files.createTempDirectory(args.length > 2 ? Path.of(args[2]) : Path.of("."), "kafka");
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(base).build())
            .setConfigProp("log.flush.interval.messages", Long.MAX_VALUE) // as Kafka runs in production: page cache, replicas for durability
            .build()) {
            cluster.format();
            final long startUp = System.nanoTime();
            cluster.startup();
            cluster.waitForReadyBrokers();
            final double startSeconds = (System.nanoTime() - startUp) / 1e9;
            try (var admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("scans", 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            final Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
            run(props, rate, seconds, startSeconds);
        }
        if (Files.exists(base)) { // the test kit usually deletes its own folders on close
            try (var files = Files.walk(base)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Properties props, long rate, long seconds, double brokerStartSeconds) throws Exception {
        final TrafficGenerator traffic = new TrafficGenerator(7, "KAFKA", seq -> 0);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final ScanFlyweight scan = new ScanFlyweight();
        final Recorder latency = new Recorder(3);
        final Semaphore window = new Semaphore(IN_FLIGHT);
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final long intervalNs = rate <= 0 ? 0 : 1_000_000_000L / rate;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            final long start = System.nanoTime();
            final long warmupEnd = start + TimeUnit.SECONDS.toNanos(5);
            final long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                final long due = intervalNs == 0 ? sent + 1 : (System.nanoTime() - start) / intervalNs + 1;
                if (sent >= due) {
                    LockSupport.parkNanos(Math.max(start + sent * intervalNs - System.nanoTime(), 10_000));
                    continue;
                }
                window.acquire();
                scan.wrapForEncode(frame, 0).sequence(sent + 1);
                traffic.next(scan, System.currentTimeMillis());
                final byte[] value = Arrays.copyOf(frame.byteArray(), scan.frameLength());
                final byte[] key = scan.barcode().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                final long intended = intervalNs == 0 ? System.nanoTime() : start + sent * intervalNs;
                producer.send(new ProducerRecord<>("scans", key, value), (metadata, error) -> {
                    window.release();
                    if (error != null) {
                        failed.incrementAndGet();
                        return;
                    }
                    acked.incrementAndGet();
                    final long now = System.nanoTime();
                    if (now > warmupEnd) {
                        latency.recordValue(Math.max(0, now - intended));
                    }
                });
                sent++;
            }
            producer.flush();
            final double elapsed = (System.nanoTime() - start) / 1e9;
            final Histogram h = latency.getIntervalHistogram();
            System.out.printf(Locale.ROOT, "{\"peer\":\"kafka\",\"acks\":\"all\",\"offered\":%d,\"sent\":%d,\"acked\":%d,\"failed\":%d,"
                    + "\"seconds\":%.3f,\"ratePerSecond\":%.1f,\"brokerStartSeconds\":%.2f,"
                    + "\"ackLatencyMs\":{\"p50\":%.4f,\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f}}%n",
                rate, sent, acked.get(), failed.get(), elapsed, acked.get() / elapsed, brokerStartSeconds,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
                h.getMaxValue() / 1e6);
        }
    }

    private KafkaPeer() {
    }
}
