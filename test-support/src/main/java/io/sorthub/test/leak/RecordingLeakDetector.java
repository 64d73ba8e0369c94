package io.sorthub.test.leak;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, which only logs a LEAK line, made to also keep each report so that
 * {@link BufferLeakCheck} can fail the test run on it. One instance per tracked resource type
 * (ByteBuf, and whatever else Netty tracks), each registered so that a check can make it poll
 * its queue of collected, unreleased resources.
 */
final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();
    static final List<RecordingLeakDetector<?>> ALL = new CopyOnWriteArrayList<>();

    RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
        ALL.add(this);
    }

    /**
     * Netty looks for collected, unreleased resources only when it tracks a new one: track and
     * release a probe so that every leak already collected is reported now.
     */
    @SuppressWarnings("unchecked")
    void poll() {
        final Object probe = new Object();
        final ResourceLeakTracker<T> tracker = trackForcibly((T) probe);
        if (tracker != null) {
            tracker.close((T) probe);
        }
    }

    @Override
    protected boolean needReport() {
        return true; // also when the test run's logging is quieter than ERROR
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        super.reportTracedLeak(resourceType, records);
        REPORTS.add(resourceType + ".release() was not called before it was garbage-collected." + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        super.reportUntracedLeak(resourceType);
        REPORTS.add(resourceType + ".release() was not called before it was garbage-collected"
            + " (no access records: run with -Dio.netty.leakDetection.level=paranoid to see where it was used)");
    }
}
