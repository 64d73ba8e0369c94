package io.sorthub.test;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Poll with a deadline instead of sleeping: tests wait exactly as long as they need. */
public final class Await {
    /** Between two looks at another process (its HTTP API, its files): often enough, and no busier. */
    private static final Duration PAUSE = Duration.ofMillis(20);

    private Await() {
    }

    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatFailed) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout + ": " + whatFailed.get());
            }
            Thread.onSpinWait();
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * The value once {@code check} returns non-null (an exception counts as not yet, e.g. a
     * connection refused while a process starts); fails with {@code what} at the deadline.
     */
    public static <T> T value(String what, Duration timeout, Callable<T> check) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                final T value = check.call();
                if (value != null) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + (last == null ? "" : " (last failure: " + last + ")"));
            }
            pause();
        }
    }

    /** One polling interval of a loop that waits on another process (a reconnect back-off, say). */
    public static void pause() {
        LockSupport.parkNanos(PAUSE.toNanos());
    }
}
