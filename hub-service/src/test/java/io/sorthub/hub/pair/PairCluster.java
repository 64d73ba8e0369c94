package io.sorthub.hub.pair;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.journal.ReplicatedBatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka cluster for hub pair tests: three brokers, one of them also the KRaft controller, on
 * 127.0.0.1, so a topic can have three replicas and survive a broker, with the group session
 * timeout floor low enough for a one-second takeover.
 */
public final class PairCluster implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    public PairCluster() throws Exception {
        final Path dir = Files.createTempDirectory("sorthub-pair-kafka");
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(3).setNumControllerNodes(1).setBaseDirectory(dir).build())
            .setConfigProp("group.min.session.timeout.ms", "200")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("transaction.state.log.replication.factor", "3")
            .setConfigProp("transaction.state.log.min.isr", "2")
            .setConfigProp("offsets.topic.replication.factor", "3")
            .setConfigProp("transaction.state.log.num.partitions", "3")
            .setConfigProp("offsets.topic.num.partitions", "3")
            .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    public String bootstrap() {
        return cluster.bootstrapServers();
    }

    public KafkaClusterTestKit kit() {
        return cluster;
    }

    /** A hub config for one instance of pair {@code pair}. */
    public HubConfig hubConfig(Path dataDir, String pair, String instance) {
        final HubConfig config = TestHub.config(dataDir);
        config.pairBootstrap = bootstrap();
        config.pairName = pair;
        config.pairInstance = instance;
        return config;
    }

    /** The same as command-line flags for a hub in a child process. */
    public String[] hubArgs(String pair, String instance) {
        return new String[] {"--pair-bootstrap", bootstrap(), "--pair-name", pair, "--pair-instance", instance};
    }

    /**
     * Every batch of pair {@code pair}'s log from its start to its end as it stands now, in log
     * order. {@code read_committed}: batches of transactions that were aborted or are still
     * open are left out, as a standby leaves them out; {@code read_uncommitted}: every batch
     * any active ever wrote.
     */
    public List<ReplicatedBatch> readLog(String pair, String isolationLevel, Duration timeout) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(32 * 1024 * 1024)); // as the follower
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sorthub-test-log-reader");
        final TopicPartition partition = new TopicPartition(logTopic(pair), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // read_committed: the last stable offset, so no transaction is cut in two
            final long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            final List<ReplicatedBatch> batches = new ArrayList<>();
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read " + batches.size() + " batches of " + partition + " (" + isolationLevel
                        + "), at offset " + consumer.position(partition) + " of " + end + " after " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.offset() < end) {
                        batches.add(new ReplicatedBatch(record.offset(), record.value()));
                    }
                }
            }
            return batches;
        }
    }

    /** The name the hub gives pair {@code pair}'s log topic. */
    public static String logTopic(String pair) {
        return new PairSettings(null, pair, null, null, (short) 0, 0, 0, 0, Map.of()).logTopic();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
