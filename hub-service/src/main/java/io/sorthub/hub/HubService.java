package io.sorthub.hub;

import io.sorthub.hub.control.HubControl;
import io.sorthub.hub.http.ApiContext;
import io.sorthub.hub.http.HttpApiVerticle;
import io.sorthub.hub.ingest.IngestContext;
import io.sorthub.hub.ingest.ScanServerVerticle;
import io.sorthub.hub.export.ExportPosition;
import io.sorthub.hub.export.KafkaExport;
import io.sorthub.hub.journal.ChronicleJournalWriter;
import io.sorthub.hub.journal.DataFolderLock;
import io.sorthub.hub.journal.Durability;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.BarcodeHash;
import io.sorthub.kit.fs.DiskGuard;
import io.sorthub.hub.journal.JournalRetention;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.JournalState;
import io.sorthub.hub.journal.ParcelIndex;
import io.sorthub.hub.journal.ParcelTraces;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.OutletStates;
import io.sorthub.hub.routing.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.security.ApiTokens;
import io.sorthub.hub.security.DeviceRegistry;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceSession;
import io.sorthub.hub.source.SourceState;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.ScanFlyweight;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The assembled hub: journal replay, the journal writer agent, the scan port and the HTTP
 * port. {@link #start} returns once every port listens and the service is ready.
 */
public final class HubService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubService.class);
    public static final String DEMO_PLAN_RESOURCE = "/demo-plan.yaml";

    private final HubConfig config;
    private final HubMetrics metrics = new HubMetrics();
    private final SourceRegistry sources = new SourceRegistry(s -> s.events(metrics.source(s)));
    private final OutletStates outlets = new OutletStates();
    private final ParcelIndex parcels;
    private final JournalState journalState;
    private volatile Throwable fatal;
    private volatile boolean stopping;
    private io.sorthub.hub.pair.PairRole pair;
    /** Completes when the hub must restart (a pair's instance that stepped down rejoins as a standby). */
    private final java.util.concurrent.CompletableFuture<String> rejoin = new java.util.concurrent.CompletableFuture<>();
    private java.util.function.UnaryOperator<io.sorthub.hub.journal.JournalWriter> writerAround;
    private final DataFolderLock lock;
    private final Journal journal;
    private final Vertx vertx;
    private SortPlanHolder plans;
    private JournalProxy journalProxy;
    private io.sorthub.hub.ingest.LoopSignals signals;
    private JournalAgent journalAgent;
    private AgentRunner journalRunner;
    private HubControl control;
    private final io.sorthub.hub.ops.HubOps ops;
    private final io.sorthub.hub.ops.OpsEffects opsEffects;
    private Replay replay;
    private volatile ApiContext api;
    private DiskGuard disk;
    private JournalRetention retention;
    private KafkaExport export;
    private DeviceRegistry deviceRegistry;
    private volatile boolean ready;
    private int scanPort;
    private int httpPort;
    /** Every server speaking TLS, to take a renewed certificate. */
    private final List<java.util.function.Function<io.vertx.core.net.PemKeyCertOptions, io.vertx.core.Future<Boolean>>>
        tlsServers = new CopyOnWriteArrayList<>();

    private HubService(HubConfig config) throws IOException, DataFolderLock.InUseException {
        this.config = config;
        this.ops = new io.sorthub.hub.ops.HubOps(config.confirmTimeoutMs);
        this.opsEffects = new io.sorthub.hub.ops.OpsEffects(ops);
        this.parcels = config.parcelIndexMaxBytes > 0 ? new ParcelIndex(config.parcelIndexMaxBytes) : new ParcelIndex();
        this.journalState = new JournalState(sources, outlets, parcels, metrics);
        journalState.opsEffects(opsEffects);
        // One hub per data folder, before anything in it is opened (DESIGN invariant 4).
        this.lock = DataFolderLock.acquire(Path.of(config.dataDir));
        try {
            this.journal = Journal.openForWriting(Path.of(config.dataDir).resolve("journal"), config.journalRollCycle,
                net.openhft.chronicle.core.time.SystemTimeProvider.INSTANCE, LOG::error);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        if (config.durability() == Durability.PAGECACHE) {
            LOG.warn("durability pagecache: an ACK means the event is in the operating system's page cache; "
                + "it survives a crash of this process but NOT a power cut or kernel crash (use durability: sync at a hub)");
        }
        metrics.timelinessLimitMs(config.timelinessLimitMs); // before any thread starts counting
        this.vertx = metrics.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, config.ingestThreads + 1)));
    }

    /**
     * Open the journal, answer HTTP (not ready yet), replay the journal, start the writer,
     * then listen for scans. Returns once ready.
     */
    public static HubService start(HubConfig config) throws Exception {
        return start(config, java.util.function.UnaryOperator.identity());
    }

    /**
     * As {@link #start(HubConfig)}, with the journal writer wrapped: the seam for fault-injection
     * tests (a writer that fails at a chosen append), never used in production.
     */
    public static HubService start(HubConfig config, java.util.function.UnaryOperator<io.sorthub.hub.journal.JournalWriter> around)
        throws Exception {
        final HubService service = new HubService(config);
        service.writerAround = around;
        LOG.info("durability {}: {}", config.durability().label(), config.durability() == Durability.SYNC
            ? "every batch is forced to disk before its ACKs" : "ACK once in the page cache");
        try {
            service.startHttp();
            service.recover();
            service.startIngest();
        } catch (Exception e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void startHttp() throws Exception {
        io.sorthub.hub.security.HubSecrets.check(config);
        final HttpApiVerticle http = new HttpApiVerticle(config.httpHost, config.httpPort, metrics, () -> api,
            this::isReady, this::status, tls(), apiTokens(), config.httpLimits(), config.httpAccessLog);
        try {
            await(vertx.deployVerticle(http));
        } catch (java.util.concurrent.ExecutionException e) {
            throw io.sorthub.kit.net.ListenFailure.explain("httpPort", config.httpHost, config.httpPort, e);
        }
        httpPort = http.actualPort();
        tlsServers.add(http::updateTls);
    }

    /** Replay, choose the plan, start the single writer (DESIGN invariant 3). */
    private void recover() throws Exception {
        this.replay = replay();
        LOG.info("replayed {} events in {} ms ({} parcels indexed)", replay.events(), replay.millis(), parcels.size());
        final PlanChoice choice = choosePlan(config, replay.plan());
        this.plans = new SortPlanHolder(choice.plan);

        this.deviceRegistry = devices(); // before a pair's follower may bring changed credentials
        this.journalProxy = new JournalProxy(config.journalQueueBytes);
        this.signals = new io.sorthub.hub.ingest.LoopSignals(config.maxConnections);
        this.journalAgent = new JournalAgent(journalProxy, writerAround.apply(new ChronicleJournalWriter(journal, config.durability())),
            sources, metrics, parcels, new SystemNanoClock(), this::journalFailed);
        journalAgent.checkpointWith(this::checkpointRecords);
        startOps();
        journalAgent.afterBatch(signals.afterJournalBatch());
        final io.sorthub.hub.pair.PairSettings pairSettings = config.pairSettings(config.host + ":" + config.scanPort);
        if (pairSettings != null) {
            // Before the writer takes any work: in a pair nothing is journaled that the pair did not replicate.
            this.pair = new io.sorthub.hub.pair.PairRole(pairSettings, journalAgent, journalProxy, journalState, metrics,
                pairHub(), this::planFromPairLog, this::devicesFromPairLog);
        }
        this.journalRunner = new AgentRunner(journalProxy.idleStrategy(), this::journalFailed, null, journalAgent);
        AgentRunner.startOnThread(journalRunner);
        this.control = new HubControl(plans, outlets, journalProxy, sources, metrics, this::registerOutletGauges);
        if (choice.journalIt && pair == null) { // a pair's active journals its plan when it takes over
            // The journal holds the text of every plan that made a decision.
            journalProxy.append(JournalRecord.plan(choice.plan.version(), choice.plan.sourceText(),
                System.currentTimeMillis() * 1_000_000L));
        }
        metrics.gauge("sorthub_journal_queue_bytes", "Bytes waiting in the queue to the journal writer",
            journalProxy::queuedBytes);
        metrics.counter("sorthub_journal_control_refused", "Control tasks (plan, outlet, audit) refused because the "
            + "journal writer's control queue was full", journalProxy::controlRefused);
        metrics.gauge("sorthub_journal_writer_up", "1 while the journal writer runs, 0 once it failed (fail-stop)",
            () -> journalAgent.failure() == null ? 1 : 0);
        metrics.gauge("sorthub_sort_plan_version", "Version of the sort plan in force",
            () -> plans.current().version());
        metrics.gauge("sorthub_parcel_index_entries", "Parcels in the trace index", parcels::size);
        metrics.counter("sorthub_barcode_pattern_abandoned", "Barcode pattern matches abandoned over their step budget "
            + "(a pattern that backtracks without end; the rule did not match)", io.sorthub.hub.routing.Rule::patternsAbandoned);
        metrics.parcelQuality(parcels.quality());
        registerOutletGauges(plans.current());
        metrics.gauge("sorthub_parcel_index_bytes", "Memory of the parcel trace index", parcels::bytes);
        metrics.counter("sorthub_parcel_index_evicted", "Parcels forgotten by the trace index at its memory bound",
            parcels::evicted);
        metrics.gauge("sorthub_replay_events", "Events replayed from the journal at start", () -> replay.events());
        // A failed look keeps the last verdict: refusing would stop a hub for good where the JDK
        // cannot read a mount's free space, and a journal that really cannot be written fails its writer.
        this.disk = new DiskGuard(journal.directory(), config.minFreeDiskBytes, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT,
            LoggerFactory.getLogger("io.sorthub.hub.journal.DiskGuard"),
            new DiskGuard.Words("journal", "new events are NOT accepted", "accepting events"));
        disk.check();
        metrics.gauge("sorthub_journal_disk_free_bytes", "Usable space on the journal's disk", disk::freeBytes);
        metrics.gauge("sorthub_journal_accepting", "1 while the hub accepts events, 0 while the journal disk is nearly full",
            () -> disk.blocked() ? 0 : 1);
        vertx.setPeriodic(1_000, id -> vertx.executeBlocking(() -> {
            disk.check();
            return null;
        }, false));
        this.retention = new JournalRetention(journal, java.time.Duration.ofHours(config.retentionHours),
            config.retentionMaxBytes, System::currentTimeMillis);
        // Exporters in processes of their own (hub-service export-kafka) pin through their position files.
        final Path exportDir = Path.of(config.dataDir).resolve("export");
        retention.pin("export-position-files", () -> ExportPosition.oldestNeeded(exportDir, journal.queue().firstIndex()));
        metrics.counter("sorthub_journal_files_deleted", "Journal cycle files deleted by retention", retention::deletedFiles);
        metrics.counter("sorthub_journal_unread_files_deleted",
            "Journal cycle files deleted over the size budget before a reader (the exporter) had read them", retention::pinnedDeleted);
        vertx.setPeriodic(config.retentionCheckSeconds * 1_000L, id -> vertx.executeBlocking(this::runRetention, false));
        if (deviceRegistry != null) {
            metrics.listedSources(() -> deviceRegistry.summary().keySet());
        }
        this.api = new ApiContext(plans, outlets, control, new ParcelTraces(journal, journalProxy), deviceRegistry,
            sources, new io.sorthub.hub.whatif.WhatIf(journal), pair,
            new io.sorthub.hub.control.OpsControl(ops, journalProxy, plans), new io.sorthub.hub.ops.ChuteHistory(journal));
        if (config.exportKafkaBootstrap != null) {
            this.export = new KafkaExport(config.exportSettings(), journal,
                exportDir, metrics, retention);
        }
    }

    /**
     * The operations tables after replay: what was overdue for a confirmation when the journal
     * ends was counted by the run that stopped then, so it is dropped uncounted; what still
     * waited then and is overdue now ran out while the hub was down, and is counted at once.
     * From now on the writer applies every record and counts, on the active only.
     */
    private void startOps() {
        ops.holds().dropLoad(); // a replace load the last run did not finish: the list it replaced stays
        opsEffects.sweep(journalState.lastReceivedAtNs());
        ops.confirmations().outcomes(new io.sorthub.hub.ops.Confirmations.Outcomes() {
            @Override
            public void unconfirmed(int outlet) {
                if (pair == null || pair.active()) {
                    metrics.parcelUnconfirmed(outlet);
                }
            }

            @Override
            public void lost(int outlet) {
                if (pair == null || pair.active()) {
                    metrics.parcelLost(outlet);
                }
            }
        });
        journalAgent.opsEffects(opsEffects);
        vertx.setPeriodic(1_000, id -> journalProxy.onWriter(() -> opsEffects.sweep(System.currentTimeMillis() * 1_000_000L)));
        metrics.ops(ops);
    }

    private void startIngest() throws Exception {
        final IngestContext ingest = new IngestContext(sources, plans, outlets, journalProxy, disk, deviceRegistry,
            metrics, new OffsetEpochNanoClock(), config.maxFrameLength, config.heartbeatIntervalMs,
            new IngestContext.Limits(config.helloTimeoutMs, config.idleTimeoutMs, config.maxConnections,
                config.maxInFlight, config.maxSequenceGap), this::unavailable, signals, ops,
            io.sorthub.hub.security.HelloRate.perSecond(config.helloRateLimit));
        // One instance per ingest event loop. Vert.x shares the listening socket between them,
        // a configured port 0 included (they all get the same free port).
        final List<ScanServerVerticle> instances = new CopyOnWriteArrayList<>();
        try {
            await(vertx.deployVerticle(() -> {
                final ScanServerVerticle verticle = new ScanServerVerticle(ingest, config.host, config.scanPort, tls());
                instances.add(verticle);
                tlsServers.add(verticle::updateTls);
                return verticle;
            }, new DeploymentOptions().setInstances(config.ingestThreads)));
        } catch (java.util.concurrent.ExecutionException e) {
            throw io.sorthub.kit.net.ListenFailure.explain("scanPort", config.host, config.scanPort, e);
        }
        scanPort = instances.get(0).actualPort();
        if (config.tlsCertFile != null) {
            final var reload = new io.sorthub.hub.security.TlsReload(Path.of(config.tlsCertFile), Path.of(config.tlsKeyFile),
                tlsServers);
            vertx.setPeriodic(io.sorthub.hub.security.HubSecrets.RELOAD_CHECK_MS, id -> reload.check());
        }
        ready = true;
        if (pair != null) {
            pair.standForElection(config.pairAdvertisedAddress != null ? config.pairAdvertisedAddress
                : config.host + ":" + scanPort);
        }
    }

    // --- hub pair ---------------------------------------------------------------------------

    /** What this hub does when its role in the pair changes (on the pair's role thread). */
    private io.sorthub.hub.pair.PairRole.Hub pairHub() {
        return new io.sorthub.hub.pair.PairRole.Hub() {
            @Override
            public void promoted(JournalProxy journal) throws Exception {
                if (journalState.plan() == null) {
                    // The pair's log holds no plan yet: the one in force here becomes the pair's.
                    final SortPlan plan = plans.current();
                    journal.append(JournalRecord.plan(plan.version(), plan.sourceText(),
                        System.currentTimeMillis() * 1_000_000L)).get(30, TimeUnit.SECONDS);
                }
                awaitPlanFromLog();
            }

            @Override
            public void steppedDown(String why) {
                HubService.this.steppedDown(why);
            }
        };
    }

    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>> planInstall =
        new java.util.concurrent.atomic.AtomicReference<>(java.util.concurrent.CompletableFuture.completedFuture(null));

    /** A standby took a plan from the pair's log (writer thread): compile it off that thread and put it in force. */
    private void planFromPairLog(JournalState.Plan plan) {
        if (plans == null || plan.version() == plans.current().version()) {
            return;
        }
        planInstall.set(planInstall.get().thenRunAsync(() -> {
            try {
                final SortPlan compiled = new SortPlanCompiler().compile(plan.text(), plan.version());
                if (compiled.version() > plans.current().version()) {
                    plans.swap(compiled);
                    registerOutletGauges(compiled);
                    LOG.info("sort plan '{}' version {} in force, from the pair's log", compiled.name(), compiled.version());
                }
            } catch (SortPlanException e) {
                LOG.error("the pair's log holds sort plan version {} that this hub refuses: {}", plan.version(),
                    e.getMessage());
            }
        }));
    }

    /** A standby took changed device credentials from the pair's log (writer thread): write its devices file. */
    private void devicesFromPairLog(String digestsYaml) {
        if (deviceRegistry == null) {
            LOG.warn("the pair's active changed the device credentials, but this instance has no devicesFile: "
                + "configure one so that sources can authenticate here after a takeover");
            return;
        }
        try {
            deviceRegistry.replace(digestsYaml);
        } catch (DeviceRegistry.DevicesException e) {
            LOG.error("device credentials from the pair's log not taken: {}", e.getMessage());
        }
    }

    /** Before a new active takes events: the newest plan of the log is in force. */
    private void awaitPlanFromLog() throws Exception {
        planInstall.get().get(60, TimeUnit.SECONDS);
    }

    /**
     * This instance is no longer the pair's active (or its promotion failed): take no more
     * events, tell every source to reconnect elsewhere, and restart as a standby.
     */
    private void steppedDown(String why) {
        ready = false;
        final String message = pair.unavailable();
        for (SourceSession session : sources.sessions()) {
            session.close(ErrorCode.UNAVAILABLE, message);
        }
        rejoin.complete(why);
    }

    /**
     * Completes with the reason when this hub must be restarted on its data folder to rejoin
     * its pair as a standby (never for a single hub).
     */
    public java.util.concurrent.CompletableFuture<String> rejoin() {
        return rejoin;
    }

    /** The hub pair role, or null for a single hub. */
    public io.sorthub.hub.pair.PairRole pair() {
        return pair;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** What the journal said at start (DESIGN invariant 3). */
    private record Replay(long events, long millis, JournalState.Plan plan) {
    }

    /** Rebuild every source's durable sequence, the outlet states, the parcel index and the last plan; the whole journal or nothing. */
    private Replay replay() throws IOException {
        final long start = System.nanoTime();
        final long events = journalState.replay(journal, new ReplayProgress(LOG::info, System::nanoTime)::records);
        return new Replay(events, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), journalState.plan());
    }

    private void registerOutletGauges(SortPlan plan) {
        metrics.outlets(plan, outlet -> outlets.status(outlet).code());
    }

    /**
     * The journal writer failed (fail-stop: it published nothing past the failure, so nothing
     * unjournaled or unforced was acknowledged). The hub can no longer keep its promise: it
     * stops accepting, closes every session with UNAVAILABLE after a last ACK of what is durable,
     * says so on /health and /ready, and with exitOnFatal (the command line) exits for its
     * supervisor to restart it on the journal. Called on the writer thread, once.
     */
    private void journalFailed(Throwable error) {
        if (fatal != null) {
            return;
        }
        fatal = error;
        if (pair != null && (error instanceof io.sorthub.hub.journal.BatchReplicator.DeposedException
            || !(error instanceof java.io.IOException) && !(error instanceof Error))) {
            // Kafka fenced this instance, or replication failed: nothing of the batch was appended or
            // acknowledged. Step down; the hub restarts as a standby instead of exiting.
            pair.writerDeposed(error.getMessage());
            return;
        }
        LOG.error("JOURNAL WRITER FAILED: the hub stops accepting events; nothing after the failure was acknowledged",
            error);
        if (disk != null) {
            disk.fail(); // every connection stops taking events
        }
        final List<SourceSession> live = sources.sessions();
        for (SourceSession session : live) {
            session.close(ErrorCode.UNAVAILABLE, "the hub cannot journal events (journal writer failed: " + error
                + "); resend what was not acknowledged when it is back");
        }
        if (config.exitOnFatal) {
            awaitSessionsClosed(java.time.Duration.ofSeconds(2)); // let the sources hear why
            LOG.error("exiting (code 70) so that the hub is restarted and replays its journal");
            Runtime.getRuntime().halt(70);
        }
    }

    /** Why no new session is taken now, or null. */
    private String unavailable() {
        if (pair != null && !pair.active()) {
            return pair.unavailable();
        }
        if (fatal != null) {
            return "the hub cannot journal events (journal writer failed); try again later";
        }
        if (stopping) {
            return "hub-service is stopping; reconnect to resume";
        }
        return null;
    }

    private void awaitSessionsClosed(java.time.Duration limit) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!sources.sessions().isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** The PEM key material for both ports, or null for plain TCP (then loudly, unless on loopback: HubSecrets). */
    private io.vertx.core.net.PemKeyCertOptions tls() {
        return config.tlsCertFile == null ? null
            : io.sorthub.hub.security.TlsReload.options(Path.of(config.tlsCertFile), Path.of(config.tlsKeyFile));
    }

    private ApiTokens apiTokens() throws DeviceRegistry.DevicesException {
        if (config.apiTokensFile == null) {
            LOG.warn("no apiTokensFile configured: the HTTP API is OPEN to anyone who reaches port {} (development only)",
                config.httpPort);
            return null;
        }
        return ApiTokens.load(Path.of(config.apiTokensFile));
    }

    private DeviceRegistry devices() throws DeviceRegistry.DevicesException {
        if (config.devicesFile == null) {
            LOG.warn("no devicesFile configured: ANY source may connect without a credential (development only)");
            return null;
        }
        final DeviceRegistry registry = DeviceRegistry.load(Path.of(config.devicesFile));
        registry.requireChallenge(config.requireChallenge);
        return registry;
    }

    /** Writer thread, at the start of each cycle: what replay needs if older cycles are deleted. */
    private List<byte[]> checkpointRecords() {
        final List<SourceState> all = new java.util.ArrayList<>(sources.all());
        final int[] ids = new int[all.size()];
        final long[] sequences = new long[all.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = all.get(i).sourceId();
            sequences[i] = all.get(i).journaledSequence();
        }
        final int[][] unavailable = outlets.unavailable();
        final long nowNs = System.currentTimeMillis() * 1_000_000L;
        final SortPlan plan = plans.current();
        final List<byte[]> records = new java.util.ArrayList<>();
        records.add(JournalRecord.checkpoint(ids, sequences, unavailable[0], unavailable[1], nowNs));
        records.add(JournalRecord.plan(plan.version(), plan.sourceText(), nowNs));
        records.addAll(io.sorthub.hub.ops.OpsChange.checkpoint(ops, nowNs));
        return records;
    }

    /** Delete old cycles, then drop parcel-index entries that pointed into them (on the writer thread). */
    public JournalRetention.Pass runRetention() throws Exception {
        final JournalRetention.Pass pass = retention.run();
        if (pass.deleted() > 0) {
            final int forgotten = journalProxy.withParcels(p -> p.removeBefore(pass.firstIndexLeft())).get(30, TimeUnit.SECONDS);
            LOG.info("journal retention: {} files deleted, {} bytes left, {} parcels forgotten", pass.deleted(),
                pass.bytesLeft(), forgotten);
        }
        return pass;
    }

    public DiskGuard disk() {
        return disk;
    }

    private record PlanChoice(SortPlan plan, boolean journalIt) {
    }

    /**
     * The newest plan wins: the last one journaled (uploaded through the API, or loaded at an
     * earlier start), unless the configured plan file was changed after it. With no file
     * configured and an empty journal, the built-in demo plan.
     */
    private static PlanChoice choosePlan(HubConfig config, JournalState.Plan journaled) throws IOException, SortPlanException {
        final SortPlanCompiler compiler = new SortPlanCompiler();
        final boolean fileConfigured = config.sortPlan != null;
        if (journaled != null) {
            final boolean fileNewer = fileConfigured
                && Files.getLastModifiedTime(Path.of(config.sortPlan)).toMillis() > journaled.atMs();
            if (!fileNewer) {
                LOG.info("sort plan version {} from the journal", journaled.version());
                try {
                    return new PlanChoice(compiler.compile(journaled.text(), journaled.version()), false);
                } catch (SortPlanException e) {
                    throw e.in("the plan in the journal (version " + journaled.version() + ") is refused by this hub;"
                        + " put a corrected plan in the sortPlan file (a file changed after the journal's plan wins)");
                }
            }
        }
        final String text = fileConfigured ? Files.readString(Path.of(config.sortPlan)) : demoPlanText();
        if (journaled != null && text.equals(journaled.text())) {
            return new PlanChoice(compiler.compile(text, journaled.version()), false);
        }
        final long version = Math.max(System.currentTimeMillis(), journaled == null ? 0 : journaled.version() + 1);
        try {
            return new PlanChoice(compiler.compile(text, version), true);
        } catch (SortPlanException e) {
            throw e.in(fileConfigured ? config.sortPlan : "demo plan");
        }
    }

    public static String demoPlanText() throws IOException {
        try (InputStream in = HubService.class.getResourceAsStream(DEMO_PLAN_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private JsonObject status() {
        final JsonObject status = new JsonObject().put("journal", journal.directory().toString()).put("ready", isReady());
        if (pair != null) {
            status.put("pair", pair.status());
        }
        if (pair != null && pair.role() == io.sorthub.hub.pair.PairRole.State.STEPPED_DOWN) {
            status.put("problem", "no longer the hub pair's active; restarting as a standby");
        } else if (fatal != null) {
            status.put("problem", "journal writer failed: " + fatal + "; no events are accepted");
        } else if (disk != null && disk.blocked()) {
            status.put("problem", "journal disk nearly full: " + disk.freeBytes() + " bytes free, minimum "
                + disk.minFreeBytes() + "; new events are not accepted");
        }
        if (api != null) {
            status.put("replayedEvents", replay.events())
                .put("replayMillis", replay.millis())
                .put("sortPlan", plans.current().name())
                .put("sortPlanVersion", plans.current().version())
                .put("journalAppends", journalAgent.appended())
                .put("parcelsIndexed", parcels.size())
                .put("parcelIndexBytes", parcels.bytes());
        }
        return status;
    }

    public int scanPort() {
        return scanPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public HubMetrics metrics() {
        return metrics;
    }

    public SortPlanHolder plans() {
        return plans;
    }

    public OutletStates outlets() {
        return outlets;
    }

    public HubControl control() {
        return control;
    }

    public long replayedEvents() {
        return replay.events();
    }

    public long replayMillis() {
        return replay.millis();
    }

    public Path journalDirectory() {
        return journal.directory();
    }

    /** Ready: replayed, listening, the journal writer running and its disk has room. */
    public boolean isReady() {
        return ready && fatal == null && !stopping && (disk == null || !disk.blocked()) && (pair == null || pair.active());
    }

    /** The journal exporter, or null when export is off. */
    public KafkaExport export() {
        return export;
    }

    /**
     * The orderly stop (SIGTERM): refuse new sessions, stop reading every session, let the
     * writer journal and force what it was handed, send each source the ACK of all of it and
     * ERROR UNAVAILABLE saying why, then close the ports and the journal. Whatever was
     * acknowledged was durable already; this makes sure nothing journaled stays unacknowledged
     * and every source knows to resume elsewhere or later.
     */
    @Override
    public void close() {
        final boolean wasReady = ready;
        stopping = true;
        ready = false;
        int told = 0;
        if (wasReady && fatal == null && journalProxy != null) {
            final List<SourceSession> live = sources.sessions();
            try {
                java.util.concurrent.CompletableFuture.allOf(live.stream().map(s -> s.stopReading().toCompletableFuture())
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
                // Nothing is read any more, so the ring drains; then a round trip through the writer:
                // everything queued before it is journaled, forced and published (ACK-able) once it completes.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (journalProxy.queuedBytes() > 0 && System.nanoTime() < deadline && fatal == null) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                journalProxy.withParcels(p -> 0).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stopping: the journal writer did not confirm the last events in time ({}); they stay "
                    + "unacknowledged and their sources resend them", e.toString());
            }
            for (SourceSession session : live) {
                session.close(ErrorCode.UNAVAILABLE, "hub-service is stopping; reconnect to resume");
                told++;
            }
            awaitSessionsClosed(java.time.Duration.ofSeconds(5));
        }
        if (pair != null) {
            pair.leave(); // an active leaving the election hands its role to a standby at once
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not close cleanly", e);
        }
        if (journalRunner != null) {
            journalRunner.close(); // the writer drains its queue before it stops
        }
        if (pair != null) {
            pair.close();
        }
        if (export != null) {
            export.close(); // after the writer: what it journaled last is exported if the broker takes it
        }
        journal.close();
        lock.close();
        if (wasReady) {
            LOG.info("hub-service stopped: {} sessions given their final ACK and told to reconnect, {} events journaled "
                + "in this run, journal closed", told, journalAgent == null ? 0 : journalAgent.appended());
        }
    }
}
