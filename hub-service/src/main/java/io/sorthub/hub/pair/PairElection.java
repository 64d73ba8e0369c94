package io.sorthub.hub.pair;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Who is the pair's active: every instance is a member of one Kafka consumer group on a
 * one-partition election topic, and the member the group coordinator gives that partition
 * is the active. When the active dies or is cut off, the coordinator notices within the
 * session timeout and hands the partition to a standby; a member that leaves on purpose
 * (switchover, shutdown) hands it over at once. Cooperative assignment keeps the partition
 * where it is when a standby joins or leaves. Kafka's group protocol is the consensus; the
 * pair adds none of its own.
 *
 * <p>Its own thread ("pair-election"): it polls every 100 ms, renews the {@link PairLease}
 * while it holds the partition, and tells the listener, never blocking in the callbacks.
 */
final class PairElection implements Runnable, ConsumerRebalanceListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PairElection.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Told on the election thread; must hand real work to another thread. */
    interface Listener {
        void elected();

        void deposed(String why);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final PairLease lease;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean leading;
    private volatile boolean resigning;

    PairElection(PairSettings settings, PairLease lease, Listener listener) {
        final Properties props = new Properties();
        props.putAll(settings.kafka());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.electionGroup());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sorthub-election-" + settings.instance());
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(settings.sessionTimeoutMs()));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(Math.max(50, settings.sessionTimeoutMs() / 5)));
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "30000");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partition = new TopicPartition(settings.electionTopic(), 0);
        this.lease = lease;
        this.listener = listener;
        this.thread = new Thread(this, "pair-election");
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(partition.topic()), this);
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (running) {
                consumer.poll(POLL);
                if (leading) {
                    lease.renew();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("pair election stopped: {}", e.toString());
            if (leading) {
                leading = false;
                lease.lose();
                listener.deposed("the election failed: " + e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2)); // leaves the group: a standby takes over at once
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.contains(partition) && !leading && !resigning) {
            leading = true;
            lease.renew();
            listener.elected();
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        lost(partitions, "the election moved the active role to another instance");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        lost(partitions, "this instance lost its place in the election (its session expired: it was silent too long)");
    }

    private void lost(Collection<TopicPartition> partitions, String why) {
        if (partitions.contains(partition) && leading) {
            leading = false;
            if (!resigning) {
                lease.lose();
            }
            listener.deposed(why);
        }
    }

    /** Hand the role over (switchover): leave the group now; the standby is assigned at once. */
    void resign() {
        resigning = true;
        lease.handOver();
        running = false;
        consumer.wakeup();
    }

    boolean leading() {
        return leading;
    }

    @Override
    public void close() {
        running = false;
        try {
            consumer.wakeup();
        } catch (RuntimeException alreadyClosed) {
            // the thread ended on its own
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
