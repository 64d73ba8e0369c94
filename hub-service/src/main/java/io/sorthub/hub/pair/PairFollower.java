package io.sorthub.hub.pair;

import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.ReplicatedBatch;
import org.agrona.concurrent.NanoClock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A standby's reader of the pair's log: every committed batch (read_committed: what an
 * active acknowledged, never what a deposed one left open) goes to the journal writer,
 * which appends it and applies it, so the standby's journal, sequences, outlet states,
 * plans and parcel index stay a copy of the active's. Its own thread ("pair-follower").
 *
 * <p>At a takeover, {@link #catchUp} reads to the end of the log as it stands after the new
 * active fenced the old one: then the journal holds every batch the pair ever acknowledged.
 */
final class PairFollower implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PairFollower.class);

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final JournalAgent writer;
    private final Thread thread;
    private final long startAfter;
    private final NanoClock clock;
    private volatile boolean running = true;
    private volatile long lastOffered = -1;
    private volatile long consumerPosition = -1;
    private volatile long endOffset = -1;
    private volatile CompletableFuture<Long> catchUp;
    private volatile Throwable failure;

    /** @param startAfter the last log position the journal holds (-1: none) */
    PairFollower(PairSettings settings, JournalAgent writer, long startAfter, NanoClock clock) {
        this.clock = clock;
        final Properties props = new Properties();
        props.putAll(settings.kafka());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "32");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(32 * 1024 * 1024));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sorthub-follower-" + settings.instance());
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partition = new TopicPartition(settings.logTopic(), 0);
        this.writer = writer;
        this.startAfter = startAfter;
        this.lastOffered = startAfter;
        this.thread = new Thread(this, "pair-follower");
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.assign(List.of(partition));
        if (startAfter < 0) {
            consumer.seekToBeginning(List.of(partition));
        } else {
            consumer.seek(partition, startAfter + 1);
        }
        thread.start();
    }

    @Override
    public void run() {
        try {
            long lastEndCheck = 0;
            while (running) {
                try {
                    lastEndCheck = followOnce(lastEndCheck);
                } catch (WakeupException e) {
                    if (!running) {
                        return;
                    }
                    // woken for a catch-up: look at the log's end now, not after the poll's wait
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("pair follower stopped: {} (the pair's log may no longer hold position {}: a standby that is too far "
                + "behind must be rebuilt, see docs/HA.md)", e.toString(), startAfter + 1);
            final CompletableFuture<Long> wanted = catchUp;
            if (wanted != null) {
                wanted.completeExceptionally(e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** One poll: offer what came to the writer, then see whether a catch-up is complete. */
    private long followOnce(long lastEndCheck) {
        // While a takeover waits, never sit out a poll's wait for data that is not coming.
        final Duration wait = catchUp != null ? CATCH_UP_POLL : POLL;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            final ReplicatedBatch batch = new ReplicatedBatch(record.offset(), record.value());
            while (!writer.offerReplicated(batch)) {
                if (!running) {
                    return lastEndCheck;
                }
                LockSupport.parkNanos(1_000_000L); // the writer is behind: wait, never drop
            }
            lastOffered = record.offset();
        }
        consumerPosition = consumer.position(partition);
        final long now = clock.nanoTime();
        long checked = lastEndCheck;
        final CompletableFuture<Long> wanted = catchUp;
        if (wanted != null || now - lastEndCheck > 500_000_000L) {
            endOffset = consumer.endOffsets(List.of(partition)).get(partition); // read_committed: the last stable offset
            checked = now;
        }
        if (wanted != null && consumerPosition >= endOffset && writer.appliedPosition() >= lastOffered) {
            catchUp = null;
            wanted.complete(lastOffered);
        }
        return checked;
    }

    /**
     * Read and apply the log to its end as it stands now (call after fencing the old active).
     *
     * @return completes with the last position applied
     */
    CompletableFuture<Long> catchUp() {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        catchUp = done;
        final Throwable failed = failure; // after publishing: a follower that fails from now on completes it itself
        if (failed != null) {
            done.completeExceptionally(failed);
        } else {
            consumer.wakeup(); // out of the poll's wait at once: a takeover waits on this
        }
        return done;
    }

    /** Batches in the log the writer has not applied yet (0 when caught up; -1 before the first check). */
    long lag() {
        return endOffset < 0 ? -1 : Math.max(0, endOffset - Math.max(consumerPosition, 0));
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
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
