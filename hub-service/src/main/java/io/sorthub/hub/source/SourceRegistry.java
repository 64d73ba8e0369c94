package io.sorthub.hub.source;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All sources the hub has seen, rebuilt from the journal at start. Looked up on HELLO and,
 * by the journal thread, through its own cache: never per event from an event loop.
 */
public final class SourceRegistry {
    private final ConcurrentHashMap<Integer, SourceState> sources = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<SourceState> onNew;

    public SourceRegistry() {
        this(s -> { });
    }

    /** @param onNew called once for each source the hub sees first (e.g. to register its meters) */
    public SourceRegistry(java.util.function.Consumer<SourceState> onNew) {
        this.onNew = onNew;
    }

    public SourceState get(int sourceId) {
        return sources.computeIfAbsent(sourceId, id -> {
            final SourceState state = new SourceState(id);
            onNew.accept(state);
            return state;
        });
    }

    /**
     * Make {@code session} the one speaking for the source. A session already open for it is
     * told it was replaced: a gateway that reconnects after a half-open TCP connection must
     * not be locked out by its own ghost.
     */
    public synchronized SourceState open(int sourceId, SourceSession session) {
        final SourceState state = get(sourceId);
        final SourceSession previous = state.swapSession(session);
        if (previous != null && previous != session) {
            previous.onReplaced();
        }
        return state;
    }

    public synchronized void close(SourceState state, SourceSession session) {
        state.clearSession(session);
    }

    /** The source, or null when the hub has never seen it. */
    public SourceState find(int sourceId) {
        return sources.get(sourceId);
    }

    /** Every live session, at this moment. */
    public java.util.List<SourceSession> sessions() {
        final java.util.List<SourceSession> live = new java.util.ArrayList<>();
        for (SourceState state : sources.values()) {
            final SourceSession session = state.session();
            if (session != null) {
                live.add(session);
            }
        }
        return live;
    }

    public Collection<SourceState> all() {
        return sources.values();
    }
}
