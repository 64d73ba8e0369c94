package io.sorthub.hub.cleanroom;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition until a deadline: the tests never sleep for something to have happened. */
public final class Poll {
    private Poll() {
    }

    /** The value once {@code check} returns non-null; fails with {@code what} at the deadline. */
    public static <T> T until(String what, Duration timeout, Callable<T> check) throws Exception {
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

    /** One polling interval. */
    public static void pause() {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
}
