package io.sorthub.hub.source;

/** Told, on the journal thread, that more of a source's events are durable. Must not block. */
public interface DurableListener {
    void onDurable();

    /** A newer session of the same source took over; close this one. Called off its loop. */
    void onReplaced();
}
