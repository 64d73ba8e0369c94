package io.sorthub.hub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How late each Vert.x event loop runs a task handed to it: once a second a thread of its
 * own (not an event loop, which could be the stuck one) hands every loop a probe and notes
 * when it ran. {@code sorthub_event_loop_delay_seconds{loop}} is the last probe's wait, or,
 * while a probe is still waiting, how long it has waited so far: a loop blocked by a slow
 * handler shows a delay that grows until it runs again. Stops when the loops shut down.
 */
final class EventLoopDelay {
    private static final long PERIOD_MS = 1_000;

    private final List<Probe> probes = new ArrayList<>();
    private final NanoClock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "event-loop-delay");
        thread.setDaemon(true);
        return thread;
    });

    /** One event loop's probe: written by the timer thread and by the loop, read at scrape. */
    private final class Probe {
        final EventExecutor loop;
        volatile long sentAtNs;
        volatile boolean waiting;
        volatile long lastDelayNs;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        double delaySeconds() {
            final long delay = waiting ? clock.nanoTime() - sentAtNs : lastDelayNs;
            return delay / 1e9;
        }
    }

    EventLoopDelay(MeterRegistry registry, EventLoopGroup loops, NanoClock clock) {
        this.clock = clock;
        int index = 0;
        for (EventExecutor loop : loops) {
            final Probe probe = new Probe(loop);
            probes.add(probe);
            Gauge.builder("sorthub_event_loop_delay_seconds", probe, Probe::delaySeconds)
                .description("How long a task handed to this Vert.x event loop waited to run (growing while it waits)")
                .tag("loop", Integer.toString(index++)).strongReference(true).register(registry);
        }
        timer.scheduleAtFixedRate(this::probe, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        for (Probe probe : probes) {
            if (probe.loop.isShuttingDown()) {
                timer.shutdown();
                return;
            }
            if (probe.waiting) {
                continue; // still queued: its delay keeps growing
            }
            probe.sentAtNs = clock.nanoTime();
            probe.waiting = true;
            try {
                probe.loop.execute(() -> {
                    probe.lastDelayNs = clock.nanoTime() - probe.sentAtNs;
                    probe.waiting = false;
                });
            } catch (RejectedExecutionException e) {
                timer.shutdown();
                return;
            }
        }
    }
}
