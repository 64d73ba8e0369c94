package io.sorthub.hub;

import io.sorthub.hub.journal.BatchReplicator;
import io.sorthub.kit.fs.DiskGuard;
import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.tracking.ParcelIndex;
import io.sorthub.hub.journal.StartReplay;
import io.sorthub.hub.pair.PairRole;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.hub.source.SessionDrain;
import io.sorthub.hub.source.SourceRegistry;
import io.vertx.core.json.JsonObject;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the hub takes events, and why not: starting, ready, stopping, its journal writer
 * failed (fail-stop), its disk nearly full, or no longer the pair's active. What /health and
 * /ready say, what a refused HELLO is told, and what happens to the sessions when the writer
 * fails or the pair's active steps down. Read from any thread; its parts are set once, in
 * start order, before the threads that read them run.
 */
final class HubHealth {
    private static final Logger LOG = LoggerFactory.getLogger(HubHealth.class);

    private final SourceRegistry sources;
    private final Path journalDirectory;
    private final boolean exitOnFatal;
    private final NanoClock clock;
    /** Completes when the hub must restart (a pair's instance that stepped down rejoins as a standby). */
    private final CompletableFuture<String> rejoin = new CompletableFuture<>();
    private volatile boolean ready;
    private volatile boolean stopping;
    private volatile Throwable fatal;
    private volatile PairRole pair;
    private volatile DiskGuard disk;
    private volatile Running running;

    /** What the status reports once the writer runs. */
    record Running(StartReplay replay, SortPlanHolder plans, JournalAgent writer, ParcelIndex parcels) {
    }

    /** @param clock bounds the wait for sessions to hear why the writer failed */
    HubHealth(SourceRegistry sources, Path journalDirectory, boolean exitOnFatal, NanoClock clock) {
        this.clock = clock;
        this.sources = sources;
        this.journalDirectory = journalDirectory;
        this.exitOnFatal = exitOnFatal;
    }

    void pair(PairRole pair) {
        this.pair = pair;
    }

    void disk(DiskGuard disk) {
        this.disk = disk;
    }

    void running(Running running) {
        this.running = running;
    }

    void ready() {
        ready = true;
    }

    /** @return whether the hub was ready until now */
    boolean stop() {
        final boolean wasReady = ready;
        stopping = true;
        ready = false;
        return wasReady;
    }

    boolean failed() {
        return fatal != null;
    }

    CompletableFuture<String> rejoin() {
        return rejoin;
    }

    /** Ready: replayed, listening, the journal writer running and its disk has room. */
    boolean isReady() {
        final DiskGuard disk = this.disk;
        return ready && fatal == null && !stopping && (disk == null || !disk.blocked()) && (pair == null || pair.active());
    }

    /** Why no new session is taken now, or null. */
    String unavailable() {
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

    /**
     * The journal writer failed (fail-stop: it published nothing past the failure, so nothing
     * unjournaled or unforced was acknowledged). The hub can no longer keep its promise: it
     * stops accepting, closes every session with UNAVAILABLE after a last ACK of what is durable,
     * says so on /health and /ready, and with exitOnFatal (the command line) exits for its
     * supervisor to restart it on the journal. Called on the writer thread, once.
     */
    void writerFailed(Throwable error) {
        if (fatal != null) {
            return;
        }
        fatal = error;
        if (pair != null && (error instanceof BatchReplicator.DeposedException
            || !(error instanceof IOException) && !(error instanceof Error))) {
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
        SessionDrain.closeAll(sources, "the hub cannot journal events (journal writer failed: " + error
            + "); resend what was not acknowledged when it is back");
        if (exitOnFatal) {
            SessionDrain.awaitClosed(sources, Duration.ofSeconds(2), clock); // let the sources hear why
            LOG.error("exiting (code 70) so that the hub is restarted and replays its journal");
            Runtime.getRuntime().halt(70);
        }
    }

    /**
     * This instance is no longer the pair's active (or its promotion failed): take no more
     * events, tell every source to reconnect elsewhere, and restart as a standby.
     */
    void steppedDown(String why) {
        ready = false;
        SessionDrain.closeAll(sources, pair.unavailable());
        rejoin.complete(why);
    }

    JsonObject status() {
        final JsonObject status = new JsonObject().put("journal", journalDirectory.toString()).put("ready", isReady());
        if (pair != null) {
            status.put("pair", pair.status());
        }
        if (pair != null && pair.role() == PairRole.State.STEPPED_DOWN) {
            status.put("problem", "no longer the hub pair's active; restarting as a standby");
        } else if (fatal != null) {
            status.put("problem", "journal writer failed: " + fatal + "; no events are accepted");
        } else if (disk != null && disk.blocked()) {
            status.put("problem", "journal disk nearly full: " + disk.freeBytes() + " bytes free, minimum "
                + disk.minFreeBytes() + "; new events are not accepted");
        }
        final Running run = running;
        if (run != null) {
            status.put("replayedEvents", run.replay().events())
                .put("replayMillis", run.replay().millis())
                .put("sortPlan", run.plans().current().name())
                .put("sortPlanVersion", run.plans().current().version())
                .put("journalAppends", run.writer().appended())
                .put("parcelsIndexed", run.parcels().size())
                .put("parcelIndexBytes", run.parcels().memoryBytes());
        }
        return status;
    }
}
