package io.sorthub.hub.ingest;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Sessions holding a frame because the journal queue was full. The queue may be full of
 * other sources' events, so no durable signal of their own would wake them: the writer runs
 * this after every batch it drained, and each waiting session retries on its own loop. Only
 * touched under back-pressure.
 */
final class JournalRoomWaiters implements Runnable {
    private final ManyToOneConcurrentArrayQueue<ScanSession> waiting;

    JournalRoomWaiters(int capacity) {
        this.waiting = new ManyToOneConcurrentArrayQueue<>(Math.max(2, capacity));
    }

    /** Event loop: wake {@code session} after the writer's next batch. */
    void await(ScanSession session) {
        if (!waiting.offer(session)) {
            session.retryLater(); // more waiters than connections cannot happen; never strand one
        }
    }

    /** Journal thread, after a batch: every waiter retries. */
    @Override
    public void run() {
        for (ScanSession session = waiting.poll(); session != null; session = waiting.poll()) {
            session.roomInJournal();
        }
    }
}
