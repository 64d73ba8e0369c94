package io.sorthub.hub.export;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalRetention;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.kit.time.Clocks;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The journal exporter as a part of hub-service (or of {@code hub-service export-kafka}):
 * its agent on a thread of its own, its named position, its metrics, and its pin on the
 * journal so retention keeps every cycle it has not exported yet.
 */
public final class KafkaExport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaExport.class);
    /** Producer settings the exporter's guarantees rest on: a config file may not change them. */
    public static final Map<String, String> FIXED = Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");

    /** What to export where. {@code producer} is passed to the Kafka producer (security settings...). */
    public record Settings(String bootstrapServers, String topic, String name, String hubId,
                           Map<String, String> producer) {
    }

    private final KafkaExportAgent agent;
    private final AgentRunner runner;
    private final JournalRetention retention;
    private final String pinName;

    /**
     * @param metrics and {@code retention} may be null (the rig)
     * @param idle    how the exporter's thread waits for new records
     * @param clocks  the back-off's and the broker's silence (monotonic), the lag's age (epoch ns, as the records')
     */
    public KafkaExport(Settings settings, Journal journal, Path exportDir, HubMetrics metrics,
                       JournalRetention retention, IdleStrategy idle, Clocks clocks) throws IOException {
        final Properties props = producerProperties(settings);
        this.agent = new KafkaExportAgent(settings.name(), journal, ExportPosition.open(exportDir, settings.name()),
            settings.topic(), settings.hubId(), () -> new KafkaProducer<>(props), 1 << 16, clocks.nanos());
        this.retention = retention;
        this.pinName = "export-" + settings.name();
        if (retention != null) {
            retention.pin(pinName, agent::firstNeededIndex);
        }
        if (metrics != null) {
            metrics.counter("sorthub_export_records", "Scan events the broker acknowledged", agent::exported);
            metrics.counter("sorthub_export_resent_records", "Events sent again, flagged as possible duplicates",
                agent::resent);
            metrics.counter("sorthub_export_send_errors", "Send failures (each followed by a back-off and a resend)",
                agent::sendErrors);
            metrics.gauge("sorthub_export_lag_events", "Journal records not yet acknowledged by the broker",
                agent::lagEvents);
            metrics.gaugeDouble("sorthub_export_lag_seconds", "Age of the oldest event not yet acknowledged by the broker",
                () -> agent.lagSeconds(clocks.epochNanos().nanoTime()));
            metrics.gauge("sorthub_export_broker_up", "1 while the Kafka broker takes the exporter's records",
                () -> agent.brokerAvailable() ? 1 : 0);
        }
        this.runner = new AgentRunner(idle,
            e -> LOG.error("journal export '{}' failed; it carries on from its last acknowledged record", settings.name(), e),
            null, agent);
        AgentRunner.startOnThread(runner);
        LOG.info("journal export '{}' to {} topic {} as hub '{}'", settings.name(), settings.bootstrapServers(),
            settings.topic(), settings.hubId());
    }

    static Properties producerProperties(Settings settings) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sorthub-export-" + settings.hubId() + "-" + settings.name());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        // Fail within a minute when the broker is gone (then back off and resend), and never
        // block the exporter's thread for long on a send.
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        if (settings.producer() != null) {
            props.putAll(settings.producer());
        }
        props.putAll(FIXED);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    public KafkaExportAgent agent() {
        return agent;
    }

    @Override
    public void close() {
        runner.close(); // the agent closes its producer and stores its position
        if (retention != null) {
            retention.unpin(pinName);
        }
    }
}
