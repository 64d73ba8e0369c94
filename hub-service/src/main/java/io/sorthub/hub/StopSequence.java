package io.sorthub.hub;

import io.sorthub.hub.export.KafkaExport;
import io.sorthub.hub.journal.JournalAgent;
import io.sorthub.hub.journal.JournalFolder;
import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.hub.pair.PairRole;
import io.sorthub.hub.source.SessionDrain;
import io.sorthub.hub.source.SourceRegistry;
import io.vertx.core.Vertx;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The orderly stop (SIGTERM): refuse new sessions, give every session its final ACK and tell
 * it to reconnect ({@link SessionDrain}), hand a pair's active role over, then close the ports,
 * the writer (it drains its queue first), the pair, the exporter (after the writer: what it
 * journaled last is exported if the broker takes it) and the journal. Parts not built yet (a
 * failed start) are null and skipped.
 */
record StopSequence(HubHealth health, SourceRegistry sources, JournalProxy writer, JournalAgent agent, PairRole pair,
                    Vertx vertx, AgentRunner writerThread, KafkaExport export, JournalFolder folder, NanoClock clock) {
    private static final Logger LOG = LoggerFactory.getLogger(StopSequence.class);

    void run() {
        final boolean wasReady = health.stop();
        final int told = wasReady && !health.failed() && writer != null
            ? SessionDrain.finalAcks(sources, writer, health::failed, clock) : 0;
        if (pair != null) {
            pair.leave(); // an active leaving the election hands its role to a standby at once
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not close cleanly", e);
        }
        if (writerThread != null) {
            writerThread.close(); // the writer drains its queue before it stops
        }
        if (pair != null) {
            pair.close();
        }
        if (export != null) {
            export.close();
        }
        folder.close();
        if (wasReady) {
            LOG.info("hub-service stopped: {} sessions given their final ACK and told to reconnect, {} events journaled "
                + "in this run, journal closed", told, agent == null ? 0 : agent.appended());
        }
    }
}
