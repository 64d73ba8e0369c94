package io.sorthub.hub.metrics;

import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

/**
 * The per-event counters of one thread (an event loop, or replay): plain longs this thread
 * alone writes, so counting an event is a load and a store, no atomic instruction. The
 * registry's function counters sum every thread's values when Prometheus scrapes. Opaque
 * access keeps the reads coherent without ordering costs on the writer.
 */
public final class LoopMetrics {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    static final int TIMED = 0;
    static final int LATE = 1;

    final long[] kinds = new long[EventKind.MAX_CODE + 1];
    final long[] reasons = new long[DecisionReason.MAX_CODE + 1];
    final long[] outlets = new long[0x1_0000];
    final long[] timeliness = new long[2];
    private final IntConsumer firstUseOfOutlet;
    private final long timelinessLimitMs;

    LoopMetrics(IntConsumer firstUseOfOutlet, long timelinessLimitMs) {
        this.firstUseOfOutlet = firstUseOfOutlet;
        this.timelinessLimitMs = timelinessLimitMs;
    }

    private static void increment(long[] counts, int index) {
        LONGS.setOpaque(counts, index, (long) LONGS.getOpaque(counts, index) + 1);
    }

    static long read(long[] counts, int index) {
        return (long) LONGS.getOpaque(counts, index);
    }

    public void event(int kindCode) {
        increment(kinds, kindCode);
    }

    public void decision(DecisionReason reason) {
        increment(reasons, reason.code());
    }

    public void outlet(int outlet) {
        if (outlets[outlet] == 0) {
            firstUseOfOutlet.accept(outlet); // registers the outlet's meter once; then only counting
        }
        increment(outlets, outlet);
    }

    /** A scan with a device time (0 = none given) is timely if it arrived within the limit. */
    public void timeliness(long deviceTimeMs, long hubTimeMs) {
        if (deviceTimeMs > 0) {
            increment(timeliness, TIMED);
            if (hubTimeMs - deviceTimeMs > timelinessLimitMs) {
                increment(timeliness, LATE);
            }
        }
    }
}
