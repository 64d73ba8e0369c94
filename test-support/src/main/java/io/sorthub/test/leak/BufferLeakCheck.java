package io.sorthub.test.leak;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails a module's test run when Netty reports a leaked buffer during it. Registered with the
 * JUnit Platform through {@code META-INF/services}, so every module that has test-support on its
 * test class path gets it. When the session opens it puts {@link RecordingLeakDetector} in place
 * of Netty's detector (before any test touches a buffer, so every detector is one); when it
 * closes it collects the garbage, makes each detector report what was collected unreleased, and
 * throws if anything was: Surefire then fails the module with the leak's access records (the
 * test JVM runs with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer Netty tracks
 * is: pooled ones and direct ones; an unpooled heap buffer is plain garbage and Netty does not
 * track it). A leak is reported once the buffer is collected, so the failure comes at the end of
 * the module's run, not with the test that leaked: the access records name where it was touched.
 * Runs on the thread that runs the tests, after the last one.
 */
public final class BufferLeakCheck implements LauncherSessionListener {
    /** Rounds of collection and reporting: a leaked buffer can keep another reachable for one more round. */
    private static final int ROUNDS = 3;
    private static final long ENQUEUE_TIMEOUT_MS = 10_000;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        final List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new BufferLeakError(leaks);
        }
    }

    /** Puts the recording detector in place; idempotent. */
    static void install() {
        if (!(ResourceLeakDetectorFactory.instance() instanceof Factory)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
        }
    }

    /** Every leak reported so far, and those the garbage collector finds now; each is returned once. */
    public static List<String> collectLeaks() {
        for (int round = 0; round < ROUNDS; round++) {
            collectGarbage();
            for (RecordingLeakDetector<?> detector : RecordingLeakDetector.ALL) {
                detector.poll();
            }
        }
        final List<String> leaks = new ArrayList<>();
        for (String leak = RecordingLeakDetector.REPORTS.poll(); leak != null; leak = RecordingLeakDetector.REPORTS.poll()) {
            leaks.add(leak);
        }
        return leaks;
    }

    /**
     * A full collection, and the wait until the JVM has queued the phantom references it cleared
     * (a canary's among them) where Netty's detectors look for them.
     */
    private static void collectGarbage() {
        final ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> canary = new PhantomReference<>(new Object(), queue);
        System.gc();
        try {
            if (queue.remove(ENQUEUE_TIMEOUT_MS) == null) {
                throw new IllegalStateException("the garbage collector did not clear a dropped object within "
                    + ENQUEUE_TIMEOUT_MS + " ms: the buffer leak check cannot tell whether buffers leaked");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the garbage collector", e);
        }
        canary.clear();
    }

    /** What fails the run: the leaks, each with Netty's record of where the buffer was touched. */
    public static final class BufferLeakError extends AssertionError {
        BufferLeakError(List<String> leaks) {
            super(leaks.size() + " leaked Netty buffer(s) were garbage-collected during this test run without"
                + " release() (LEAK lines in the log above; the records say where each was touched):\n"
                + String.join("\n\n", leaks));
        }
    }

    private static final class Factory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingLeakDetector<>(resource, samplingInterval, maxActive);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingLeakDetector<>(resource, samplingInterval, Long.MAX_VALUE);
        }
    }
}
