package io.sorthub.hub;

import io.sorthub.hub.http.HttpApiVerticle;
import io.sorthub.hub.ingest.IngestContext;
import io.sorthub.hub.ingest.ScanServerVerticle;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.WakeableIdleStrategy;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.SortPlanCompiler;
import io.sorthub.hub.routing.SortPlanException;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SourceRegistry;
import io.sorthub.hub.source.SourceState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The assembled hub: journal replay, the journal writer agent, the scan port and the HTTP
 * port. {@link #start} returns once every port listens and the service is ready.
 */
public final class HubService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubService.class);
    public static final String DEMO_PLAN_RESOURCE = "/demo-plan.yaml";
    private static final AtomicLong LAST_PLAN_VERSION = new AtomicLong();

    private final HubConfig config;
    private final HubMetrics metrics = new HubMetrics();
    private final SourceRegistry sources = new SourceRegistry();
    private final SortPlanHolder plans;
    private final Journal journal;
    private final ManyToOneRingBuffer journalQueue;
    private final JournalAgent journalAgent;
    private final WakeableIdleStrategy journalIdle;
    private final AgentRunner journalRunner;
    private final Vertx vertx;
    private final long replayedEvents;
    private final long replayMillis;
    private volatile boolean ready;
    private int scanPort;
    private int httpPort;

    private HubService(HubConfig config) throws IOException, SortPlanException {
        this.config = config;
        this.plans = new SortPlanHolder(loadPlan(config));
        final Path journalDir = Path.of(config.dataDir).resolve("journal");
        Files.createDirectories(journalDir);
        this.journal = new Journal(journalDir, config.journalRollCycle);

        final long start = System.nanoTime();
        this.replayedEvents = replay();
        this.replayMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        this.journalQueue = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(config.journalQueueBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.journalAgent = new JournalAgent(journalQueue, journal, sources, metrics);
        this.journalIdle = new WakeableIdleStrategy(() -> journalQueue.size() > 0);
        this.journalRunner = new AgentRunner(journalIdle,
            error -> LOG.error("journal writer failed", error), null, journalAgent);
        AgentRunner.startOnThread(journalRunner);

        metrics.gauge("sorthub_journal_queue_bytes", "Bytes waiting in the queue to the journal writer",
            journalQueue::size);
        metrics.gauge("sorthub_sort_plan_version", "Version of the sort plan in force",
            () -> plans.current().version());
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, config.ingestThreads + 1)));
    }

    /** Open the journal, replay it, start the writer and listen on both ports. */
    public static HubService start(HubConfig config) throws Exception {
        final HubService service = new HubService(config);
        try {
            service.listen();
        } catch (Exception e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void listen() throws Exception {
        final IngestContext ingest = new IngestContext(sources, plans, journalQueue, journalIdle::wake, metrics,
            new SystemEpochNanoClock(), config.maxFrameLength, config.heartbeatIntervalMs);
        // One instance per ingest event loop. Vert.x shares the listening socket between them,
        // a configured port 0 included (they all get the same free port).
        final List<ScanServerVerticle> instances = new CopyOnWriteArrayList<>();
        await(vertx.deployVerticle(() -> {
            final ScanServerVerticle verticle = new ScanServerVerticle(ingest, config.host, config.scanPort);
            instances.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(config.ingestThreads)));
        scanPort = instances.get(0).actualPort();
        final HttpApiVerticle http = new HttpApiVerticle(config.host, config.httpPort, metrics, () -> ready,
            this::status);
        await(vertx.deployVerticle(http));
        httpPort = http.actualPort();
        ready = true;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Rebuild every source's durable sequence from the journal (DESIGN invariant 3). */
    private long replay() {
        final long[] count = new long[1];
        try (JournalReader reader = new JournalReader(journal)) {
            count[0] = reader.readAll((index, record) -> {
                final SourceState source = sources.get(record.sourceId());
                final long sequence = record.scan().sequence();
                if (sequence > source.journaledSequence()) {
                    source.journaled(sequence);
                }
            });
        }
        sources.all().forEach(SourceState::publishDurable);
        return count[0];
    }

    static SortPlan loadPlan(HubConfig config) throws IOException, SortPlanException {
        final String text;
        if (config.sortPlan == null) {
            try (InputStream in = HubService.class.getResourceAsStream(DEMO_PLAN_RESOURCE)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            text = Files.readString(Path.of(config.sortPlan));
        }
        try {
            return new SortPlanCompiler().compile(text, nextPlanVersion());
        } catch (SortPlanException e) {
            throw new SortPlanException((config.sortPlan == null ? "demo plan" : config.sortPlan) + ": "
                + e.getMessage(), e);
        }
    }

    /** Plan versions are load times in epoch ms, forced to increase: unique across restarts. */
    static long nextPlanVersion() {
        final long now = System.currentTimeMillis();
        return LAST_PLAN_VERSION.updateAndGet(last -> Math.max(last + 1, now));
    }

    private JsonObject status() {
        return new JsonObject()
            .put("journal", journal.directory().toString())
            .put("replayedEvents", replayedEvents)
            .put("sortPlan", plans.current().name())
            .put("sortPlanVersion", plans.current().version())
            .put("journalAppends", journalAgent.appended());
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

    public long replayedEvents() {
        return replayedEvents;
    }

    public long replayMillis() {
        return replayMillis;
    }

    public Path journalDirectory() {
        return journal.directory();
    }

    public boolean isReady() {
        return ready;
    }

    /**
     * Stop taking connections, let the writer finish what it was handed, close the journal.
     * Whatever was acknowledged is already on disk; this only makes the stop tidy.
     */
    @Override
    public void close() {
        ready = false;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not close cleanly", e);
        }
        journalRunner.close(); // the writer drains its queue before it stops
        journal.close();
    }
}
