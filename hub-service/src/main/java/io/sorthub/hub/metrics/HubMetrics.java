package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sorthub.hub.routing.SortPlan;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every meter of the hub, resolved once at start into arrays indexed by code, so that
 * counting an event is an array load and an adder increment: no tag building, no map
 * lookup, no allocation (DESIGN invariant 8). Labels are bounded: enums, the plan's outlets,
 * sources up to a cap ({@link SourceMeters}), event loops, HTTP routes; never a barcode or a
 * connection.
 */
public final class HubMetrics {
    private final PrometheusMeterRegistry registry;
    /** Where the hub's own meters go: the scraped registry, or none in the exporter process. */
    private final MeterRegistry hub;
    private final java.util.List<Object> strongly = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<LoopMetrics> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ThreadLocal<LoopMetrics> loop = ThreadLocal.withInitial(this::newLoop);
    private final java.util.Set<Integer> outletsRegistered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final OutletMeters outletMeters;
    private final SourceMeters sourceMeters;
    private final Counter[] errorsByCode = new Counter[ErrorCode.MAX_CODE + 1];
    private final Counter duplicatesAnswered;
    private final Counter duplicatesDropped;
    private final Counter journalAppends;
    private final DistributionSummary journalBatchSize;
    private final Timer journalBatchTime;
    private final Counter backPressure;
    private final Counter holdsQueue;
    private final Counter holdsInFlight;
    private final Counter holdsDisk;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Timer decisionLatency;
    private final ReplyLatency replyLatency;
    private final Counter planReloads;
    private final Counter planRejections;
    private long timelinessLimitMs = 600_000;

    /** The hub's meters. */
    public HubMetrics() {
        this(true);
    }

    /**
     * The stand-alone exporter's: JVM and process meters, and what the exporter registers;
     * none of the hub's (an exporter that showed zero scans and zero sources would be counted
     * in every hub-wide figure).
     */
    public static HubMetrics exporter() {
        return new HubMetrics(false);
    }

    private HubMetrics(boolean hubMeters) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of Micrometer's binder names break Prometheus naming rules (promtool check metrics):
        // a "_count" gauge and an "_ns" unit. Rename the first, drop the second (process_cpu_usage stays).
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                return "system.cpu.count".equals(id.getName()) ? id.withName("system.cpus") : id;
            }
        });
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        // Vert.x 5 registers this gauge again for every HTTP connection (vertx-micrometer-metrics
        // issue 259; its value lives in a map all registrations share) and Micrometer logs a WARN
        // at the first API call. Open connections are not a figure anyone reads here; requests in
        // flight are (their re-registrations: see the Micrometer logger in logback-levels.xml).
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("vertx.http.server.active.connections")));
        // Every filter before the first meter: Micrometer warns about (and does not apply to
        // meters already there) a filter configured later.
        // The HTTP API's response times (Vert.x meters, see vertx()) as a histogram Prometheus can aggregate.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(io.micrometer.core.instrument.Meter.Id id,
                                                         DistributionStatisticConfig config) {
                if (!id.getName().equals("vertx.http.server.response.time")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(
                    ms(1), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1_000), ms(2_500), ms(10_000))
                    .build().merge(config);
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics(); // heap use after GC: for the heap alert
        heapPressure.bindTo(registry);
        strongly.add(heapPressure);
        // Without the hub's meters (the exporter process), they go to a registry nobody scrapes.
        this.hub = hubMeters ? registry : new SimpleMeterRegistry();
        this.outletMeters = new OutletMeters(hub, hubMeters ? registry.getPrometheusRegistry()
            : new io.prometheus.metrics.model.registry.PrometheusRegistry());
        this.sourceMeters = new SourceMeters(hub);
        for (EventKind kind : EventKind.values()) {
            sumOfLoops("sorthub_scan_events", "SCAN events received and accepted, by event kind (duplicates excluded)",
                "kind", kind.name().toLowerCase(Locale.ROOT), l -> l.kinds, kind.code());
        }
        for (DecisionReason reason : DecisionReason.values()) {
            sumOfLoops("sorthub_decisions", "DECISION frames sent, by reason",
                "reason", reason.name().toLowerCase(Locale.ROOT), l -> l.reasons, reason.code());
        }
        sumOfLoops("sorthub_scans_timed", "Scans with a device time, checked for timeliness", null, null,
            l -> l.timeliness, LoopMetrics.TIMED);
        sumOfLoops("sorthub_scans_late",
            "Scans that reached the hub later than the timeliness limit after the device scanned them", null, null,
            l -> l.timeliness, LoopMetrics.LATE);
        for (ErrorCode code : ErrorCode.values()) {
            errorsByCode[code.code()] = Counter.builder("sorthub_protocol_errors")
                .description("ERROR frames sent to sources, by error code")
                .tag("code", code.name().toLowerCase(Locale.ROOT))
                .register(hub);
        }
        duplicatesAnswered = Counter.builder("sorthub_duplicates_answered")
            .description("Resent SCANs answered from the session's high-water mark without journaling")
            .register(hub);
        duplicatesDropped = Counter.builder("sorthub_journal_duplicates_dropped")
            .description("SCANs the journal writer dropped because the source's sequence was already journaled")
            .register(hub);
        journalAppends = Counter.builder("sorthub_journal_appends")
            .description("Records appended to the journal")
            .register(hub);
        journalBatchSize = DistributionSummary.builder("sorthub_journal_batch_records")
            .description("Records per journal writer batch")
            .register(hub);
        journalBatchTime = Timer.builder("sorthub_journal_batch")
            .description("Time to append one journal writer batch")
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofNanos(1_000))
            .maximumExpectedValue(java.time.Duration.ofMillis(100))
            .register(hub);
        backPressure = Counter.builder("sorthub_ingest_backpressure")
            .description("Times a connection stopped reading to hold a SCAN back, any cause (by cause: sorthub_ingest_holds)")
            .register(hub);
        holdsQueue = hold("queue");
        holdsInFlight = hold("in_flight");
        holdsDisk = hold("disk");
        framesIn = Counter.builder("sorthub_frames_received").description("Frames received on the scan port").register(hub);
        framesOut = Counter.builder("sorthub_frames_sent").description("Frames sent on the scan port").register(hub);
        bytesIn = Counter.builder("sorthub_received_bytes").description("Bytes of frames received").register(hub);
        bytesOut = Counter.builder("sorthub_sent_bytes").description("Bytes of frames sent").register(hub);
        decisionLatency = Timer.builder("sorthub_decision_latency")
            .description("From a SCAN frame read off the socket to its DECISION encoded, in the hub (1 event in 16 sampled)")
            .serviceLevelObjectives(java.time.Duration.ofNanos(5_000), java.time.Duration.ofNanos(10_000),
                java.time.Duration.ofNanos(25_000), java.time.Duration.ofNanos(50_000), java.time.Duration.ofNanos(100_000),
                java.time.Duration.ofNanos(250_000), java.time.Duration.ofNanos(500_000), java.time.Duration.ofMillis(1),
                java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(25))
            .register(hub);
        replyLatency = new ReplyLatency(hub);
        planReloads = Counter.builder("sorthub_sort_plan_reloads").description("Sort plans put in force while running")
            .register(hub);
        for (String limit : new String[] {"hello_timeout", "idle_timeout", "max_connections", "max_in_flight",
            "max_sequence_gap"}) {
            Counter.builder("sorthub_limit_trips").description("Times a connection hit a configured limit")
                .tag("limit", limit).register(hub);
        }
        planRejections = Counter.builder("sorthub_sort_plan_rejected").description("Sort plans refused (bad plan)")
            .register(hub);
    }

    private static double ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    private Counter hold(String cause) {
        return Counter.builder("sorthub_ingest_holds").description("Times a connection stopped reading to hold a SCAN back, by cause")
            .tag("cause", cause).register(hub);
    }

    /** Scans later than this after their device time count as late (上网及时率). Set before counting. */
    public void timelinessLimitMs(long limitMs) {
        this.timelinessLimitMs = limitMs;
        Gauge.builder("sorthub_scan_timeliness_limit_seconds", () -> timelinessLimitMs / 1000.0)
            .description("The configured timeliness limit").strongReference(true).register(hub);
    }

    /** This thread's per-event counters: look it up once (per connection), then count through it. */
    public LoopMetrics loop() {
        return loop.get();
    }

    private LoopMetrics newLoop() {
        final LoopMetrics metrics = new LoopMetrics(this::registerOutlet, timelinessLimitMs);
        loops.add(metrics);
        return metrics;
    }

    private void registerOutlet(int outlet) {
        if (outletsRegistered.add(outlet)) {
            sumOfLoops("sorthub_outlet_decisions", "Parcels sent to each outlet", "outlet", Integer.toString(outlet),
                l -> l.outlets, outlet);
        }
    }

    /** A counter whose value is the sum of one slot over every thread's LoopMetrics. */
    private void sumOfLoops(String name, String description, String tag, String value,
                            java.util.function.Function<LoopMetrics, long[]> array, int index) {
        final var builder = io.micrometer.core.instrument.FunctionCounter.builder(name, loops, all -> {
            long sum = 0;
            for (LoopMetrics l : all) {
                sum += LoopMetrics.read(array.apply(l), index);
            }
            return sum;
        }).description(description);
        (tag == null ? builder : builder.tag(tag, value)).register(hub);
    }

    /** A chute reported full by the sorter: counted under its outlet if the plan in force has it. */
    public void chuteFull(int outlet) {
        outletMeters.chuteFull(outlet);
    }

    /** Journal writer: a parcel decided for {@code outlet} was neither confirmed nor recirculated in time. */
    public void parcelUnconfirmed(int outlet) {
        outletMeters.unconfirmed(outlet);
    }

    /** Journal writer: the sorter reported a parcel decided for {@code outlet} lost. */
    public void parcelLost(int outlet) {
        outletMeters.lost(outlet);
    }

    /**
     * The plan in force (at start, and each time another is put in force): a state gauge and
     * an info series per outlet it has, none for outlets it dropped.
     */
    public void outlets(SortPlan plan, IntUnaryOperator statusOfOutlet) {
        outletMeters.plan(plan, statusOfOutlet);
    }

    /** Per read batch, not per frame: what a connection moved. */
    public void traffic(long inFrames, long inBytes, long outFrames, long outBytes) {
        framesIn.increment(inFrames);
        bytesIn.increment(inBytes);
        framesOut.increment(outFrames);
        bytesOut.increment(outBytes);
    }

    /** The hub's share of DECISION and ACK latency (read to write). */
    public ReplyLatency replies() {
        return replyLatency;
    }

    public void decisionLatency(long nanos) {
        decisionLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void planReloaded() {
        planReloads.increment();
    }

    public void planRejected() {
        planRejections.increment();
    }

    /** A source's own event counter and connected gauge, made when the hub first sees it (bounded: SourceMeters). */
    public Counter source(io.sorthub.hub.source.SourceState source) {
        return sourceMeters.source(source);
    }

    /** The sources the devices file lists, asked again at each scrape. */
    public void listedSources(Supplier<Collection<Integer>> sourceIds) {
        sourceMeters.listedBy(sourceIds);
    }

    /** Count on this thread's counters; the event path uses {@link #loop()} directly. */
    public void event(int kindCode) {
        loop().event(kindCode);
    }

    public void decision(DecisionReason reason) {
        loop().decision(reason);
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

    /** A connection hit a limit (hello_timeout, idle_timeout, max_connections, max_in_flight, max_sequence_gap). */
    public void limitTripped(String limit) {
        Counter.builder("sorthub_limit_trips").description("Times a connection hit a configured limit")
            .tag("limit", limit).register(hub).increment(); // rare: registering here is fine
    }

    public void backPressure() {
        backPressure.increment();
    }

    /**
     * A connection stopped reading to hold a SCAN back, and why (HOLD_QUEUE, HOLD_IN_FLIGHT,
     * HOLD_DISK); also counted in the total of back-pressure pauses.
     */
    public void held(String cause) {
        backPressure.increment();
        switch (cause) {
            case "HOLD_QUEUE" -> holdsQueue.increment();
            case "HOLD_IN_FLIGHT" -> holdsInFlight.increment();
            case "HOLD_DISK" -> holdsDisk.increment();
            default -> throw new IllegalArgumentException("no hold cause " + cause);
        }
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

    /** Register a counter whose running total is kept elsewhere. */
    public void counter(String name, String description, LongSupplier total) {
        strongly.add(total); // FunctionCounter holds its object weakly: keep it alive, as gauges are
        io.micrometer.core.instrument.FunctionCounter.builder(name, total, t -> (double) t.getAsLong())
            .description(description).register(registry);
    }

    /** A gauge with a fractional value (seconds, ratios). */
    public void gaugeDouble(String name, String description, java.util.function.DoubleSupplier value) {
        Gauge.builder(name, value, java.util.function.DoubleSupplier::getAsDouble).description(description)
            .strongReference(true).register(registry);
    }

    /**
     * A Vert.x whose HTTP server and worker pools report to this registry: request rate,
     * response time and status codes of the HTTP API by route (never by path, which would
     * carry barcodes), worker pool use; and the delay of every event loop. The scan port's
     * NetServer is left out, its traffic is counted per read batch here already.
     */
    public Vertx vertx(VertxOptions options, org.agrona.concurrent.NanoClock clock) {
        final MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions().setEnabled(true)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME));
        for (MetricsDomain domain : EnumSet.complementOf(EnumSet.of(MetricsDomain.HTTP_SERVER, MetricsDomain.NAMED_POOLS))) {
            metricsOptions.addDisabledMetricsCategory(domain);
        }
        final Vertx vertx = Vertx.builder().with(options.setMetricsOptions(metricsOptions))
            .withMetrics(new MicrometerMetricsFactory(registry)).build();
        strongly.add(new EventLoopDelay(registry, ((VertxInternal) vertx).nettyEventLoopGroup(), clock));
        return vertx;
    }

    /** The registry, for a component that registers meters of its own (once, at start). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        sourceMeters.refreshListed();
        return registry.scrape();
    }
}
