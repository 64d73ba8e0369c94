package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Every meter of the hub, resolved once at start into arrays indexed by code, so that
 * counting an event is an array load and an adder increment: no tag building, no map
 * lookup, no allocation (DESIGN invariant 8). Labels are bounded enums only; never a
 * barcode, a source or a connection.
 */
public final class HubMetrics {
    private final PrometheusMeterRegistry registry;
    private final Counter[] eventsByKind = new Counter[EventKind.MAX_CODE + 1];
    private final Counter[] decisionsByReason = new Counter[DecisionReason.MAX_CODE + 1];
    private final Counter[] errorsByCode = new Counter[ErrorCode.MAX_CODE + 1];
    private final Counter duplicatesAnswered;
    private final Counter duplicatesDropped;
    private final Counter journalAppends;
    private final DistributionSummary journalBatchSize;
    private final Timer journalBatchTime;
    private final Counter backPressure;
    private final AtomicInteger connections = new AtomicInteger();

    public HubMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (EventKind kind : EventKind.values()) {
            eventsByKind[kind.code()] = Counter.builder("sorthub_scan_events")
                .description("SCAN events received and accepted, by event kind (duplicates excluded)")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry);
        }
        for (DecisionReason reason : DecisionReason.values()) {
            decisionsByReason[reason.code()] = Counter.builder("sorthub_decisions")
                .description("DECISION frames sent, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry);
        }
        for (ErrorCode code : ErrorCode.values()) {
            errorsByCode[code.code()] = Counter.builder("sorthub_protocol_errors")
                .description("ERROR frames sent to sources, by error code")
                .tag("code", code.name().toLowerCase(Locale.ROOT))
                .register(registry);
        }
        duplicatesAnswered = Counter.builder("sorthub_duplicates_answered")
            .description("Resent SCANs answered from the session's high-water mark without journaling")
            .register(registry);
        duplicatesDropped = Counter.builder("sorthub_journal_duplicates_dropped")
            .description("SCANs the journal writer dropped because the source's sequence was already journaled")
            .register(registry);
        journalAppends = Counter.builder("sorthub_journal_appends")
            .description("Records appended to the journal")
            .register(registry);
        journalBatchSize = DistributionSummary.builder("sorthub_journal_batch_records")
            .description("Records per journal writer batch")
            .register(registry);
        journalBatchTime = Timer.builder("sorthub_journal_batch")
            .description("Time to append one journal writer batch")
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofNanos(1_000))
            .maximumExpectedValue(java.time.Duration.ofMillis(100))
            .register(registry);
        backPressure = Counter.builder("sorthub_ingest_backpressure")
            .description("Times a connection stopped reading because the journal queue was full")
            .register(registry);
        Gauge.builder("sorthub_connections", connections, AtomicInteger::get)
            .description("Open scan connections")
            .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void event(int kindCode) {
        eventsByKind[kindCode].increment();
    }

    public void decision(DecisionReason reason) {
        decisionsByReason[reason.code()].increment();
    }

    public void protocolError(ErrorCode code) {
        errorsByCode[code.code()].increment();
    }

    public void duplicateAnswered() {
        duplicatesAnswered.increment();
    }

    public void duplicateDropped() {
        duplicatesDropped.increment();
    }

    /** One writer batch: {@code records} drained, {@code appended} of them new to the journal. */
    public void journalBatch(int records, int appended, long nanos) {
        journalAppends.increment(appended);
        journalBatchSize.record(records);
        journalBatchTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void backPressure() {
        backPressure.increment();
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /**
     * Register a gauge read from elsewhere (queue depth, plan version...). Held strongly:
     * Micrometer keeps gauge state weakly by default, and a lambda nobody else references
     * would be collected, leaving the gauge NaN after the next GC.
     */
    public void gauge(String name, String description, LongSupplier value) {
        Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).strongReference(true)
            .register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
