package io.sorthub.hub.source;

import io.sorthub.hub.journal.JournalProxy;
import io.sorthub.protocol.ErrorCode;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The sessions' end at an orderly stop: stop reading every session, let the writer journal
 * and force what it was handed, send each source the ACK of all of it and ERROR UNAVAILABLE
 * saying why. Whatever was acknowledged was durable already; this makes sure nothing journaled
 * stays unacknowledged and every source knows to resume elsewhere or later. Runs on the
 * stopping thread.
 */
public final class SessionDrain {
    private static final Logger LOG = LoggerFactory.getLogger(SessionDrain.class);

    private SessionDrain() {
    }

    /** @return how many sessions were told; {@code failed} ends the wait for the writer early */
    public static int finalAcks(SourceRegistry sources, JournalProxy writer, BooleanSupplier failed, NanoClock clock) {
        final List<SourceSession> live = sources.sessions();
        try {
            CompletableFuture.allOf(live.stream().map(s -> s.stopReading().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            // Nothing is read any more, so the ring drains; then a round trip through the writer:
            // everything queued before it is journaled, forced and published (ACK-able) once it completes.
            final long deadline = clock.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.queuedBytes() > 0 && clock.nanoTime() < deadline && !failed.getAsBoolean()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            writer.withParcels(p -> 0).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("stopping: the journal writer did not confirm the last events in time ({}); they stay "
                + "unacknowledged and their sources resend them", e.toString());
        }
        for (SourceSession session : live) {
            session.close(ErrorCode.UNAVAILABLE, "hub-service is stopping; reconnect to resume");
        }
        awaitClosed(sources, Duration.ofSeconds(5), clock);
        return live.size();
    }

    /** Close every live session with UNAVAILABLE and why. */
    public static void closeAll(SourceRegistry sources, String why) {
        for (SourceSession session : sources.sessions()) {
            session.close(ErrorCode.UNAVAILABLE, why);
        }
    }

    /** Wait, up to {@code limit}, until every session has closed (so that the sources heard why). */
    public static void awaitClosed(SourceRegistry sources, Duration limit, NanoClock clock) {
        final long deadline = clock.nanoTime() + limit.toNanos();
        while (!sources.sessions().isEmpty() && clock.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
