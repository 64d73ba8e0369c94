package io.sorthub.bench.rig;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Kafka cluster (KRaft) for the load rig and the hub pair demo: one combined
 * node, or {@code BROKERS} brokers of which the first is also the controller (a hub pair's
 * log wants three replicas), with a topic {@code sorthub.scans} of 8 partitions and a group
 * session timeout floor of 200 ms (a pair takes over within about a second). Prints
 * {@code bootstrap HOST:PORT,...} and runs until killed.
 * Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.KafkaBroker DIR [BROKERS]}
 */
public final class KafkaBroker {
    public static void main(String[] args) throws Exception {
        final Path base = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("."), "kafka-broker");
        final int brokers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
            .setCombined(true).setNumBrokerNodes(brokers).setNumControllerNodes(1).setBaseDirectory(base).build())
            .setConfigProp("log.flush.interval.messages", Long.MAX_VALUE)
            .setConfigProp("group.min.session.timeout.ms", "200")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("transaction.state.log.replication.factor", Integer.toString(Math.min(3, brokers)))
            .setConfigProp("transaction.state.log.min.isr", Integer.toString(Math.min(2, brokers)))
            .setConfigProp("offsets.topic.replication.factor", Integer.toString(Math.min(3, brokers)))
            .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (var admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("sorthub.scans", 8, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(KafkaBroker.class).warn("broker did not close cleanly", e);
            }
        }));
        System.out.println("bootstrap " + cluster.bootstrapServers());
        Thread.currentThread().join();
    }
}
