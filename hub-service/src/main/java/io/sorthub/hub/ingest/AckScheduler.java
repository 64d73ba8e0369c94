package io.sorthub.hub.ingest;

import io.netty.util.concurrent.EventExecutor;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The journal thread's way back to one event loop, and the only ingest class that thread
 * calls. After each batch the writer signals every session whose source became more durable
 * (or that waits for room in the journal queue); the sessions are queued here and ONE task
 * per event loop sends all their ACKs and retries all their held frames: one wake-up of the
 * loop per writer batch, not one per source.
 *
 * <p>A session is queued at most once at a time (its own flag), so the bounded queue of
 * {@code capacity} sessions never overflows while the loop has at most that many sessions.
 */
final class AckScheduler implements Runnable {
    private final EventExecutor loop;
    private final ManyToOneConcurrentArrayQueue<ScanSession> signalled;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    AckScheduler(EventExecutor loop, int capacity) {
        this.loop = loop;
        this.signalled = new ManyToOneConcurrentArrayQueue<>(Math.max(2, capacity));
    }

    /** Any thread (the journal writer): {@code session} has news; run it on its loop soon. */
    void signal(ScanSession session, AtomicBoolean sessionFlag) {
        if (sessionFlag.compareAndSet(false, true)) {
            if (!signalled.offer(session)) {
                loop.execute(session::onSignal); // cannot happen within capacity; never lose a signal
            }
        }
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** The event loop: every signalled session sends its ACK and retries what it holds. */
    @Override
    public void run() {
        scheduled.set(false); // first: a signal from now on schedules another run
        for (ScanSession session = signalled.poll(); session != null; session = signalled.poll()) {
            session.onSignal();
        }
    }
}
