package io.sorthub.hub.ingest;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The ways back from the journal writer to the event loops: one {@link AckScheduler} per
 * event loop, and the sessions waiting for room in the journal queue. Built once per hub;
 * looked up when a session opens, never per event.
 */
public final class LoopSignals {
    private final ConcurrentHashMap<EventExecutor, AckScheduler> schedulers = new ConcurrentHashMap<>();
    private final JournalRoomWaiters roomWaiters;
    private final int capacity;

    /** @param capacity sessions one event loop may have at most (the connection cap) */
    public LoopSignals(int capacity) {
        this.capacity = capacity;
        this.roomWaiters = new JournalRoomWaiters(capacity);
    }

    AckScheduler forLoop(EventExecutor loop) {
        return schedulers.computeIfAbsent(loop, l -> new AckScheduler(l, capacity));
    }

    JournalRoomWaiters roomWaiters() {
        return roomWaiters;
    }

    /** For the journal writer, after every batch: sessions waiting for room retry. */
    public Runnable afterJournalBatch() {
        return roomWaiters;
    }
}
