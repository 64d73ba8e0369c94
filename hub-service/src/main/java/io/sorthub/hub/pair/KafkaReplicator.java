package io.sorthub.hub.pair;

import io.sorthub.hub.journal.BatchReplicator;
import org.agrona.DirectBuffer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The active's way to make a writer batch durable on the pair: one Kafka transaction per
 * batch, with the pair's transactional id, on a topic with three replicas of which two must
 * have it ({@code acks=all}, {@code min.insync.replicas=2}). The batch counts once the
 * transaction is committed; only then does the writer append it and acknowledge its events.
 *
 * <p>Fencing: a standby taking over initialises the same transactional id, which bumps its
 * epoch. From then on this producer's transactions fail with a fencing error, so a deposed
 * active physically cannot commit, and therefore cannot acknowledge, another batch. After a
 * commit, the {@link PairLease} must still hold: a process frozen between its commit and its
 * ACK may have been replaced meanwhile, and then it acknowledges nothing more.
 *
 * <p>Writer thread only (after {@link #fence}). One allocation per batch (the Kafka record),
 * never per event.
 */
final class KafkaReplicator implements BatchReplicator, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final PairLease lease;

    KafkaReplicator(PairSettings settings, PairLease lease) {
        final Properties props = new Properties();
        props.putAll(settings.kafka());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(32 * 1024 * 1024));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000"); // initTransactions waits for the old active's transaction to be aborted
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        // A takeover's initTransactions is answered "concurrent transactions" while the coordinator
        // aborts the old active's open one; the default 100 ms between tries was most of a fence.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sorthub-pair-" + settings.instance());
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = settings.logTopic();
        this.lease = lease;
    }

    /**
     * Fetch the log topic's metadata now, while a standby: a takeover then spends no round trip
     * on it. Holds no epoch and fences nobody. Any thread, before {@link #fence}.
     */
    void warm() {
        producer.partitionsFor(topic);
    }

    /**
     * Take the pair's transactional id: every earlier active is fenced from here on, and any
     * transaction it left open is aborted. Called once, when this instance becomes the active,
     * before it reads the log to the end.
     */
    void fence() {
        producer.initTransactions();
    }

    @Override
    public long replicate(DirectBuffer batch, int length) throws Exception {
        if (lease.lost()) {
            throw new DeposedException("another instance took over the pair", null);
        }
        final byte[] value = new byte[length];
        batch.getBytes(0, value, 0, length);
        final Future<RecordMetadata> sent;
        try {
            producer.beginTransaction();
            sent = producer.send(new ProducerRecord<>(topic, 0, null, value));
            commit();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new DeposedException("another instance took over the pair (Kafka fenced this one: " + e.getMessage() + ")", e);
        } catch (KafkaException e) {
            abortQuietly();
            throw e;
        }
        final long offset;
        try {
            offset = sent.get().offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a committed batch reported a failed send: " + e.getCause(), e.getCause());
        }
        awaitLease();
        return offset;
    }

    /** A commit that timed out may still complete: Kafka's answer is to commit again, never to resend. */
    private void commit() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Acknowledge only while the role is certainly still this instance's. */
    private void awaitLease() throws DeposedException {
        if (!lease.awaitHeld()) {
            throw new DeposedException(lease.lost() ? "another instance took over the pair while this one was not running"
                : "the election could not confirm this instance is still the pair's active", null);
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // the producer is being given up anyway
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
