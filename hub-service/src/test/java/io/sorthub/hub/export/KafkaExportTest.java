package io.sorthub.hub.export;

import io.sorthub.test.Exposition;
import io.sorthub.test.Await;
import io.sorthub.hub.ChildHub;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ExportRecordFlyweight;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.client.HubClient;
import kafka.server.BrokerServer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal exporter against a real Kafka broker (KRaft, in-process on 127.0.0.1): what
 * lands in the topic is exactly what the journal holds; a broker outage mid-stream and a
 * SIGKILLed hub (and its exporter) leave no gap, and every duplicate is flagged.
 */
@Timeout(300)
class KafkaExportTest {
    private static Path kafkaDir;
    private static KafkaClusterTestKit cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafkaDir = Files.createTempDirectory("sorthub-kafka");
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(kafkaDir).build()).build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void createTopic(String topic) throws Exception {
        try (var admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private HubConfig config(String topic) {
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.exportKafkaBootstrap = cluster.bootstrapServers();
        config.exportTopic = topic;
        config.hubId = "hub-test";
        return config;
    }

    /** A source whose parcels each get three events (arrival, sort request, confirm), and a no-read every 50th. */
    private static final class Source implements HubClient.Listener, AutoCloseable {
        final HubClient client;
        final AtomicLong acked = new AtomicLong();

        Source(int port, int sourceId) throws IOException {
            client = HubClient.connect("127.0.0.1", port, sourceId, "export-" + sourceId, "", Duration.ofSeconds(10));
            acked.set(client.resumeSequence());
            client.start(this);
        }

        void send(long from, long to) throws IOException {
            for (long seq = from; seq <= to; seq++) {
                final boolean noRead = seq % 50 == 0;
                final EventKind kind = noRead ? EventKind.NO_READ
                    : seq % 3 == 1 ? EventKind.ARRIVAL : seq % 3 == 2 ? EventKind.SORT_REQUEST : EventKind.CONFIRM_DIVERTED;
                client.scan().sequence(seq).deviceTimeMs(seq).kind(kind).weightGrams(700).outlet(kind == EventKind.CONFIRM_DIVERTED ? 5 : 0)
                    .strings("EXP", noRead ? "" : "P" + client.sourceId() + "-" + (seq + 2) / 3, "518057", "");
                client.sendScan();
            }
            client.flush();
        }

        void awaitAck(long sequence) {
            Await.until(Duration.ofSeconds(60), () -> acked.get() >= sequence,
                () -> "source " + client.sourceId() + " acknowledged " + acked.get() + " of " + sequence);
        }

        @Override
        public void onAck(long sequence) {
            acked.accumulateAndGet(sequence, Math::max);
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** One record as consumed, decoded. */
    private record Exported(int partition, long offset, String key, long position, String hubId, int sourceId,
                            long sequence, String barcode, String destination, int outlet, int reason, int ruleId,
                            long planVersion, boolean possibleDuplicate) {
    }

    /** Read the topic from the start until {@code distinct} different journal positions are in, or fail. */
    private static List<Exported> consume(String topic, int distinct) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final List<Exported> out = new ArrayList<>();
        final Set<Long> positions = new TreeSet<>();
        final ExportRecordFlyweight record = new ExportRecordFlyweight();
        final FrameDecoder frames = new FrameDecoder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (positions.size() < distinct) {
                assertThat(System.nanoTime()).as("%d of %d journal positions in the topic", positions.size(), distinct)
                    .isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    final UnsafeBuffer value = new UnsafeBuffer(r.value());
                    record.wrap(value, 0);
                    assertThat(record.validate(r.value().length, frames)).isNull();
                    out.add(new Exported(r.partition(), r.offset(),
                        r.key() == null ? null : new String(r.key(), StandardCharsets.US_ASCII), record.position(),
                        record.hubId(), record.sourceId(), frames.scan().sequence(), frames.scan().barcode(),
                        frames.scan().destination(), record.outlet(), record.reasonCode(), record.ruleId(),
                        record.planVersion(), record.possibleDuplicate()));
                    positions.add(record.position());
                }
            }
        }
        return out;
    }

    /**
     * Every journaled scan is in the topic once and as journaled; a record that repeats a
     * journal position is flagged; within a partition a hub's positions rise except for
     * flagged resends; a parcel's events share a partition.
     */
    private static void assertExportedAsJournaled(List<Entry> journal, List<Exported> topic, boolean duplicatesAllowed) {
        final Map<Long, Entry> byPosition = new HashMap<>();
        journal.forEach(e -> byPosition.put(e.index(), e));
        final Map<Long, Integer> seen = new HashMap<>();
        final Map<Integer, Long> highestInPartition = new TreeMap<>();
        final Map<String, Integer> partitionOfParcel = new HashMap<>();
        for (Exported x : topic) {
            final Entry e = byPosition.get(x.position());
            assertThat(e).as("exported position %d is a journaled scan", x.position()).isNotNull();
            assertThat(x.hubId()).isEqualTo("hub-test");
            assertThat(x.sourceId()).isEqualTo(e.sourceId());
            assertThat(x.sequence()).isEqualTo(e.sequence());
            assertThat(x.barcode()).isEqualTo(e.barcode());
            assertThat(x.destination()).isEqualTo(e.destination());
            assertThat(x.outlet()).isEqualTo(e.outlet());
            assertThat(x.reason()).isEqualTo(e.reason().code());
            assertThat(x.ruleId()).isEqualTo(e.ruleId());
            assertThat(x.planVersion()).isEqualTo(e.planVersion());
            assertThat(x.key()).isEqualTo(e.barcode().isEmpty() ? "hub-test/" + e.sourceId() : e.barcode());
            final int times = seen.merge(x.position(), 1, Integer::sum);
            final long highest = highestInPartition.getOrDefault(x.partition(), -1L);
            if (times > 1 || x.position() <= highest) {
                assertThat(duplicatesAllowed).as("a resend of position %d", x.position()).isTrue();
                assertThat(x.possibleDuplicate()).as("the resend of position %d is flagged: %s", x.position(),
                    topic.stream().filter(y -> y.position() == x.position() || y.partition() == x.partition()
                        && Math.abs(y.offset() - x.offset()) < 3).toList()).isTrue();
            }
            highestInPartition.put(x.partition(), Math.max(highest, x.position()));
            assertThat(partitionOfParcel.computeIfAbsent(x.key(), k -> x.partition()))
                .as("key %s (a parcel, or a source's events without barcode) stays in one partition", x.key())
                .isEqualTo(x.partition());
        }
        assertThat(seen.keySet()).as("every journaled scan is exported").containsExactlyInAnyOrderElementsOf(byPosition.keySet());
    }

    @Test
    void everyJournaledScanAppearsInTheTopicExactlyAsJournaled() throws Exception {
        createTopic("exact");
        try (HubService hub = HubService.start(config("exact"));
             Source a = new Source(hub.scanPort(), 1); Source b = new Source(hub.scanPort(), 2)) {
            a.send(1, 3_000);
            b.send(1, 3_000);
            a.awaitAck(3_000);
            b.awaitAck(3_000);
            Await.until(Duration.ofSeconds(60), () -> hub.export().agent().exported() >= 6_000,
                () -> "exported " + hub.export().agent().exported());
            assertThat(hub.export().agent().resent()).isZero();
            assertThat(hub.export().agent().brokerAvailable()).isTrue();
        }
        final List<Entry> journal = TestHub.readJournal(dir.resolve("hub"));
        assertThat(journal).hasSize(6_000);
        final List<Exported> topic = consume("exact", 6_000);
        assertThat(topic).hasSize(6_000);
        assertExportedAsJournaled(journal, topic, false);
        assertThat(ExportPosition.open(dir.resolve("hub").resolve("export"), "kafka").acknowledged())
            .as("the stored position is the last journaled record").isEqualTo(journal.get(journal.size() - 1).index());
    }

    @Test
    void aBrokerOutageMidStreamNeitherStopsSortingNorLeavesAGap() throws Exception {
        createTopic("outage");
        final BrokerServer broker = cluster.brokers().values().iterator().next();
        try (HubService hub = HubService.start(config("outage")); Source a = new Source(hub.scanPort(), 1)) {
            a.send(1, 2_000);
            a.awaitAck(2_000);
            broker.shutdown();
            broker.awaitShutdown();
            try {
                // The sort path does not wait for Kafka: decided, journaled and acknowledged.
                a.send(2_001, 5_000);
                a.awaitAck(5_000);
                Await.until(Duration.ofSeconds(60), () -> !hub.export().agent().brokerAvailable(),
                    () -> "the exporter still reports the broker up");
                Await.until(Duration.ofSeconds(30), () -> hub.export().agent().lagEvents() >= 3_000
                        && hub.export().agent().lagSeconds(System.currentTimeMillis() * 1_000_000L) > 0,
                    () -> "export lag " + hub.export().agent().lagEvents() + " events, "
                        + hub.export().agent().lagSeconds(System.currentTimeMillis() * 1_000_000L) + " s during the outage");
            } finally {
                broker.startup();
            }
            cluster.waitForReadyBrokers();
            Await.until(Duration.ofSeconds(120), () -> hub.export().agent().lagEvents() == 0
                    && hub.export().agent().brokerAvailable(),
                () -> "lag " + hub.export().agent().lagEvents() + " after the broker came back");
        }
        final List<Entry> journal = TestHub.readJournal(dir.resolve("hub"));
        assertThat(journal).hasSize(5_000);
        assertExportedAsJournaled(journal, consume("outage", 5_000), true);
    }

    @Test
    void aBrokerAddressThatDoesNotResolveIsAnOutageNotAFailure() throws Exception {
        final HubConfig config = config("unused");
        config.exportKafkaBootstrap = "no-such-broker.invalid:9092";
        try (HubService hub = HubService.start(config); Source a = new Source(hub.scanPort(), 1)) {
            a.send(1, 500);
            a.awaitAck(500);
            Await.until(Duration.ofSeconds(30), () -> hub.export().agent().sendErrors() > 0
                    && !hub.export().agent().brokerAvailable() && hub.export().agent().lagEvents() >= 500,
                () -> "send errors " + hub.export().agent().sendErrors() + ", lag " + hub.export().agent().lagEvents());
        }
    }

    @Test
    void aHubKilledWhileExportingResendsOnlyFlaggedDuplicatesAndLeavesNoGap() throws Exception {
        createTopic("killed");
        final Path data = dir.resolve("child");
        final String[] export = {"--export-kafka", cluster.bootstrapServers(), "--hub-id", "hub-test"};
        final Path configFile = dir.resolve("hub.yaml");
        Files.writeString(configFile, "exportTopic: killed\n");
        long next = 1;
        for (int round = 0; round < 3; round++) {
            final ChildHub hub = new ChildHub(data, concat(export, "--config", configFile.toString()));
            try (Source a = new Source(hub.scanPort, 1)) {
                next = Math.max(next, a.acked.get() + 1);
                a.send(next, next + 3_999);
                a.awaitAck(next + 3_999);
                next += 4_000;
                if (round < 2) {
                    a.send(next, next + 999); // in flight when the process dies
                    next += 1_000;
                }
            }
            if (round < 2) {
                hub.kill(); // SIGKILL: its exporter dies with it, position stored up to 200 ms earlier
            } else {
                awaitExported(hub.httpPort);
                hub.close();
            }
        }
        final List<Entry> journal = TestHub.readJournal(data);
        assertThat(journal.size()).isGreaterThanOrEqualTo(12_000);
        assertExportedAsJournaled(journal, consume("killed", journal.size()), true);
    }

    /** hub-service export-kafka beside a running hub, SIGKILLed twice mid-export and restarted. */
    @Test
    void anExporterInAProcessOfItsOwnKilledMidExportResumesWithoutAGap() throws Exception {
        createTopic("separate");
        final Path data = dir.resolve("hub");
        final String[] args = {"--bootstrap", cluster.bootstrapServers(), "--topic", "separate", "--hub-id", "hub-test"};
        try (HubService hub = HubService.start(TestHub.config(data)); Source a = new Source(hub.scanPort(), 1)) {
            long next = 1;
            for (int round = 0; round < 3; round++) {
                final ChildHub exporter = ChildHub.exporter(data, args);
                a.send(next, next + 3_999);
                a.awaitAck(next + 3_999);
                next += 4_000;
                if (round < 2) {
                    exporter.kill(); // SIGKILL while it is still publishing this round
                } else {
                    awaitExported(exporter.httpPort);
                    exporter.close(); // SIGTERM: stores its position
                }
            }
        }
        final List<Entry> journal = TestHub.readJournal(data);
        assertThat(journal).hasSize(12_000);
        assertExportedAsJournaled(journal, consume("separate", journal.size()), true);
        assertThat(ExportPosition.oldestNeeded(data.resolve("export"), 0))
            .as("what the hub's retention keeps for the exporter").isEqualTo(journal.get(journal.size() - 1).index());
    }

    private static double metric(String exposition, String name) {
        return Exposition.value(exposition, name);
    }

    private static String[] concat(String[] a, String... b) {
        final String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Poll the child hub's /metrics until the exporter has nothing left to send. */
    private static void awaitExported(int httpPort) {
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                final String body = Exposition.scrape(httpPort);
                return metric(body, "sorthub_export_lag_events") == 0 && metric(body, "sorthub_export_broker_up") == 1;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, () -> "the child hub's exporter did not catch up");
    }
}
