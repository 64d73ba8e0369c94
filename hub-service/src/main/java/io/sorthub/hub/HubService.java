package io.sorthub.hub;

import io.sorthub.hub.control.HubControl;
import io.sorthub.hub.control.OpsControl;
import io.sorthub.hub.export.KafkaExport;
import io.sorthub.hub.http.ApiContext;
import io.sorthub.hub.http.HttpPort;
import io.sorthub.hub.ingest.ConnectionCount;
import io.sorthub.hub.ingest.IngestContext;
import io.sorthub.hub.ingest.LoopSignals;
import io.sorthub.hub.ingest.ScanPort;
import io.sorthub.hub.journal.ChronicleJournalWriter;
import io.sorthub.hub.journal.CheckpointRecords;
import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.kit.fs.DiskGuard;
import io.sorthub.hub.journal.JournalFolder;
import io.sorthub.hub.journal.JournalHousekeeping;
import io.sorthub.hub.journal.JournalMeters;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.journal.PlanRecord;
import io.sorthub.hub.journal.JournalRetention;
import io.sorthub.hub.journal.JournalState;
import io.sorthub.hub.journal.JournalWriter;
import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.tracking.ParcelTraces;
import io.sorthub.hub.journal.StartReplay;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.metrics.PlanMeters;
import io.sorthub.hub.ops.ChuteHistory;
import io.sorthub.hub.ops.HubOps;
import io.sorthub.hub.ops.OpsEffects;
import io.sorthub.hub.ops.OpsWiring;
import io.sorthub.hub.pair.PairRole;
import io.sorthub.hub.pair.PairSettings;
import io.sorthub.hub.pair.PairWiring;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.routing.compile.StartPlan;
import io.sorthub.hub.security.CredentialFiles;
import io.sorthub.hub.security.DeviceRegistry;
import io.sorthub.hub.security.HubSecrets;
import io.sorthub.hub.security.TlsServers;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.whatif.WhatIf;
import io.sorthub.kit.time.Clocks;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's composition root: builds the components and wires them in start order (HTTP port,
 * replay, the writer, the scan port); {@link StopSequence} takes them down. {@link #start}
 * returns once every port listens and the hub is ready.
 */
public final class HubService implements AutoCloseable {
    private final HubContext context;
    private final HubConfig config;
    private final HubMetrics metrics = new HubMetrics();
    private final SourceRegistry sources = new SourceRegistry(s -> s.events(metrics.source(s)));
    private final OutletStates outlets = new OutletStates();
    private final HubOps ops;
    private final OpsEffects opsEffects;
    private final ParcelIndex parcels;
    private final JournalState journalState;
    private final JournalFolder folder;
    private final Vertx vertx;
    private final HubHealth health;
    private final TlsServers tls;
    private volatile ApiContext api;
    private SortPlanHolder plans;
    private StartReplay replay;
    private JournalProxy writer;
    private JournalAgent agent;
    private AgentRunner writerThread;
    private HubControl control;
    private JournalHousekeeping housekeeping;
    private KafkaExport export;
    private DeviceRegistry devices;
    private PairRole pair;
    private LoopSignals signals;
    private int scanPort;
    private int httpPort;

    private HubService(HubContext context) throws Exception {
        this.context = context;
        this.config = context.config();
        this.ops = new HubOps(config.confirmTimeoutMs);
        this.parcels = config.parcelIndexMaxBytes > 0 ? new ParcelIndex(config.parcelIndexMaxBytes) : new ParcelIndex();
        this.journalState = new JournalState(sources, outlets, parcels, metrics);
        this.opsEffects = new OpsEffects(ops);
        journalState.opsEffects(opsEffects); // replay rebuilds the operations tables too
        this.folder = new JournalFolder(Path.of(config.dataDir), config.journalRollCycle, config.durability());
        metrics.timelinessLimitMs(config.timelinessLimitMs); // before any thread starts counting
        this.vertx = metrics.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, config.ingestThreads + 1))
            .setPreferNativeTransport(true), context.nanoClock()); // epoll on Linux: fewer system calls per read batch
        this.health = new HubHealth(sources, folder.journal().directory(), config.exitOnFatal, context.nanoClock());
        this.tls = new TlsServers(config.tlsCertFile, config.tlsKeyFile);
    }

    /** "epoll", or "NIO" with the reason epoll could not be had (not Linux, no native library). */
    public String eventLoopTransport() {
        return vertx.isNativeTransportEnabled() ? "epoll" : "NIO (" + vertx.unavailableNativeTransportCause() + ")";
    }

    /** Answer HTTP (not ready yet), replay the journal, start the writer, then listen for scans. Returns once ready. */
    public static HubService start(HubConfig config) throws Exception {
        return start(new HubContext(config));
    }

    /** As {@link #start(HubConfig)}, with what {@code context} sets (clocks, a wrapped writer, ...); concludes it. */
    public static HubService start(HubContext context) throws Exception {
        final HubService hub = new HubService(context.conclude());
        try {
            HubSecrets.check(hub.config);
            hub.httpPort = HttpPort.open(hub.vertx, hub.config, hub.metrics, () -> hub.api, hub::isReady, hub.health::status,
                hub.tls, context.clocks());
            hub.recover();
            hub.listen();
        } catch (Exception e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    /** Replay, choose the plan, start the single writer (DESIGN invariant 3), then what depends on it. */
    private void recover() throws Exception {
        final Clocks clocks = context.clocks();
        replay = StartReplay.run(journalState, folder.journal(), parcels, clocks.nanos());
        final StartPlan choice = StartPlan.choose(config.sortPlan, replay.plan(), clocks.epoch());
        plans = new SortPlanHolder(choice.plan());
        final PlanMeters planMeters = new PlanMeters(metrics, plans, outlets);
        devices = CredentialFiles.devices(config, vertx); // before a pair's follower may bring changed credentials
        writer = new JournalProxy(config.journalQueueBytes);
        signals = new LoopSignals(config.maxConnections);
        final ChronicleJournalWriter journalWriter = new ChronicleJournalWriter(folder.journal(), config.durability(), clocks.nanos());
        agent = new JournalAgent(writer, context.aroundJournalWriter().apply(journalWriter), sources, metrics, parcels,
            clocks.nanos(), health::writerFailed);
        agent.checkpointWith(new CheckpointRecords(sources, outlets, plans, ops, clocks.epochNanos()));
        OpsWiring.start(ops, opsEffects, journalState.lastReceivedAtNs(), agent, writer, metrics,
            () -> pair == null || pair.active(), vertx, clocks);
        agent.afterBatch(signals.afterJournalBatch());
        final PairSettings pairSettings = config.pairSettings(config.host + ":" + config.scanPort);
        if (pairSettings != null) { // before the writer takes any work: nothing journaled that the pair did not replicate
            pair = new PairWiring(journalState, plans, planMeters, devices, health::steppedDown, clocks)
                .role(pairSettings, agent, writer, metrics);
            health.pair(pair);
        }
        writerThread = new AgentRunner(writer.idleStrategy(), health::writerFailed, null, agent);
        AgentRunner.startOnThread(writerThread);
        control = new HubControl(plans, outlets, writer, sources, metrics, planMeters, clocks);
        if (choice.journalIt() && pair == null) { // the journal holds every plan that decided; a pair's active journals its own
            writer.append(PlanRecord.encode(choice.plan().version(), choice.plan().sourceText(),
                clocks.epochNanos().nanoTime()));
        }
        JournalMeters.register(metrics, writer, agent, journalWriter, parcels, replay);
        planMeters.accept(plans.current());
        final Path exportDir = Path.of(config.dataDir).resolve("export");
        housekeeping = new JournalHousekeeping(config, folder.journal(), exportDir, writer, metrics, vertx, clocks.epoch());
        health.disk(housekeeping.disk());
        if (devices != null) {
            metrics.listedSources(() -> devices.summary().keySet());
        }
        api = new ApiContext(plans, outlets, control, new ParcelTraces(folder.journal(), writer), devices, sources,
            new WhatIf(folder.journal(), clocks.nanos()), pair, new OpsControl(ops, writer, plans, clocks),
            new ChuteHistory(folder.journal()));
        health.running(new HubHealth.Running(replay, plans, agent, parcels));
        if (config.exportKafkaBootstrap != null) {
            export = new KafkaExport(config.exportSettings(), folder.journal(), exportDir, metrics, housekeeping.retention(),
                context.exportIdleStrategy(), clocks);
        }
    }

    private void listen() throws Exception {
        final IngestContext ingest = new IngestContext(sources, plans, outlets, writer, housekeeping.disk(), devices,
            metrics, context.epochNanoClock(), config.maxFrameLength, config.heartbeatIntervalMs, context.ingestLimits(),
            health::unavailable, signals, ops, context.hellos(), context.scanErrors(), ConnectionCount.registeredWith(metrics));
        scanPort = ScanPort.open(vertx, config, ingest, tls);
        tls.watch(vertx);
        health.ready();
        if (pair != null) {
            pair.standForElection(config.pairAdvertisedAddress != null ? config.pairAdvertisedAddress
                : config.host + ":" + scanPort);
        }
    }

    /** Give every session its final ACK, then close the ports, the writer and the journal. */
    @Override
    public void close() {
        new StopSequence(health, sources, writer, agent, pair, vertx, writerThread, export, folder, context.nanoClock()).run();
    }

    // What tests and the command line look at.
    public static String demoPlanText() throws IOException { return StartPlan.demoPlanText(); }
    public int scanPort() { return scanPort; }
    public int httpPort() { return httpPort; }
    public HubMetrics metrics() { return metrics; }
    public SortPlanHolder plans() { return plans; }
    public OutletStates outlets() { return outlets; }
    public HubControl control() { return control; }
    public long replayedEvents() { return replay.events(); }
    public long replayMillis() { return replay.millis(); }
    public Path journalDirectory() { return folder.journal().directory(); }
    /** Ready: replayed, listening, the journal writer running and its disk has room. */
    public boolean isReady() { return health.isReady(); }
    /** The journal exporter, or null when export is off. */
    public KafkaExport export() { return export; }
    public DiskGuard disk() { return housekeeping.disk(); }
    public JournalRetention.Pass runRetention() throws Exception { return housekeeping.runRetention(); }
    /** Completes with the reason when this hub must restart on its data folder to rejoin its pair as a standby. */
    public CompletableFuture<String> rejoin() { return health.rejoin(); }
    /** The hub pair role, or null for a single hub. */
    public PairRole pair() { return pair; }
}
