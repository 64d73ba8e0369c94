package io.sorthub.hub.pair;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.TestHub;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;

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

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
