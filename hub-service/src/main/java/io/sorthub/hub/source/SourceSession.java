package io.sorthub.hub.source;

import java.util.concurrent.CompletionStage;

/**
 * The live session speaking for a source, as other threads may reach it. Every method may be
 * called from any thread and must not block: the session does the work on its own event loop.
 */
public interface SourceSession {
    /** Journal thread: more of the source's events are durable; send the ACK. */
    void onDurable();

    /** A newer session of the same source took over; close this one. */
    void onReplaced();

    /**
     * Stop reading the connection (hub stopping, source being reset). Completes on the event
     * loop once no more of its events can reach the journal queue.
     */
    CompletionStage<Void> stopReading();

    /**
     * Send the ACK of what is durable, then ERROR {@code code} with {@code why}, and close:
     * the source learns why and resends only what was not acknowledged.
     */
    void close(io.sorthub.protocol.ErrorCode code, String why);
}
