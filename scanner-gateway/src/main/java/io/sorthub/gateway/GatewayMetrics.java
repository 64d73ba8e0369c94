package io.sorthub.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sorthub.gateway.scanner.LineError;
import io.sorthub.gateway.scanner.ScannerRead;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The gateway's meters. Labels are bounded: the line (this gateway's name, on every series,
 * so that one hub's gateways can be told apart by name), device names (from the config),
 * read types and line errors (enums). Counted on the gateway's single event loop.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter resends;
    private final Counter lateDecisions;
    private final Counter spoolRejected;
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

    public GatewayMetrics(String line) {
        registry.config().commonTags("line", line);
        // As in the hub: "_count" and "_ns" names break Prometheus naming rules (promtool check metrics).
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return "system.cpu.count".equals(id.getName()) ? id.withName("system.cpus") : id;
            }
        });
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        heapPressure.bindTo(registry); // heap use after GC: for the heap alert
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        resends = Counter.builder("sorthub_gateway_resends").description("Spooled events sent again after a reconnect")
            .register(registry);
        lateDecisions = Counter.builder("sorthub_gateway_late_decisions")
            .description("DECISIONs that came after the deadline (the fallback had been answered)").register(registry);
        spoolRejected = Counter.builder("sorthub_gateway_spool_rejected")
            .description("Reads refused because the spool disk is nearly full").register(registry);
    }

    /** Per-device meters, resolved once when the device is set up. */
    public final class DeviceMeters {
        private final Counter[] reads = new Counter[ScannerRead.Type.values().length];
        private final Counter[] errors = new Counter[LineError.values().length];
        private final Counter fallbacks;
        private final Counter rejects;
        private final Counter undelivered;
        private final Timer roundTrip;

        DeviceMeters(String device) {
            for (ScannerRead.Type type : ScannerRead.Type.values()) {
                reads[type.ordinal()] = Counter.builder("sorthub_gateway_reads").description("Lines read from devices, by type")
                    .tags("device", device, "type", type.name().toLowerCase(Locale.ROOT)).register(registry);
            }
            for (LineError error : LineError.values()) {
                errors[error.ordinal()] = Counter.builder("sorthub_gateway_line_errors")
                    .description("Device lines refused, by reason").tags("device", device, "error",
                        error.name().toLowerCase(Locale.ROOT)).register(registry);
            }
            fallbacks = Counter.builder("sorthub_gateway_fallback_answers")
                .description("Reads answered with the fallback outlet: the hub did not decide in time, or the spool refused them")
                .tag("device", device).register(registry);
            rejects = Counter.builder("sorthub_gateway_reject_answers")
                .description("Telegrams that could not be used, answered at once with the device's reject outlet")
                .tag("device", device).register(registry);
            undelivered = Counter.builder("sorthub_gateway_answers_undelivered")
                .description("Answers with no open connection to the device they were for").tag("device", device)
                .register(registry);
            roundTrip = Timer.builder("sorthub_gateway_decision_round_trip")
                .description("From a read to the hub's DECISION for it back at the gateway (spool, hub link, hub, "
                    + "and back), by the device the decision answers; late decisions included")
                .tag("device", device)
                .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(25), ms(50), ms(100), ms(150), ms(250),
                    ms(500), ms(1_000), ms(2_500), ms(10_000))
                .register(registry);
        }

        public void read(ScannerRead.Type type) {
            reads[type.ordinal()].increment();
        }

        public void error(LineError error) {
            errors[error.ordinal()].increment();
        }

        public void fallback() {
            fallbacks.increment();
        }

        public void reject() {
            rejects.increment();
        }

        public void undelivered() {
            undelivered.increment();
        }

        /** A DECISION arrived {@code nanos} after its read. */
        public void roundTrip(long nanos) {
            roundTrip.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    public DeviceMeters device(String name, DoubleSupplier online) {
        Gauge.builder("sorthub_gateway_device_online", online, DoubleSupplier::getAsDouble)
            .description("1 while the device is connected and not silent past its limit").tag("device", name)
            .strongReference(true).register(registry);
        return new DeviceMeters(name);
    }

    public void gauge(String name, String description, DoubleSupplier value) {
        Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description).strongReference(true)
            .register(registry);
    }

    public void resends(long n) {
        resends.increment(n);
    }

    public void lateDecision() {
        lateDecisions.increment();
    }

    public void spoolRejected() {
        spoolRejected.increment();
    }

    /** The registry, for a component that registers meters of its own (once, at start). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
