package io.sorthub.gateway.sim;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during a simulation: stop sending, then give the run up to 20 s to collect its last
 * answers and print the summary before the JVM exits. Close it once the summary is out.
 */
final class StopHook implements AutoCloseable {
    /** The machine's clock: the simulator's ticks are real time. */
    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopHook(Runnable stopSending) {
        hook = new Thread(() -> {
            stopSending.run();
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Wait for the senders until the next one-second tick (or until they are all done). */
    static void awaitTick(java.util.List<Thread> senders, long lastTickNs) throws InterruptedException {
        final Thread alive = senders.stream().filter(Thread::isAlive).findFirst().orElse(null);
        if (alive != null) {
            alive.join(Math.max(1, 1000 - TimeUnit.NANOSECONDS.toMillis(CLOCK.nanoTime() - lastTickNs)));
        }
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is waiting for this summary
        }
    }
}
