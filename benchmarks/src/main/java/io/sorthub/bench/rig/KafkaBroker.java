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
 * An in-process Kafka broker (KRaft, one combined node) for the load rig, with a topic
 * {@code sorthub.scans} of 8 partitions: prints {@code bootstrap HOST:PORT} and runs until
 * killed. Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.KafkaBroker DIR}
 */
public final class KafkaBroker {
    public static void main(String[] args) throws Exception {
        final Path base = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("."), "kafka-broker");
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
            .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(base).build())
            .setConfigProp("log.flush.interval.messages", Long.MAX_VALUE)
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
