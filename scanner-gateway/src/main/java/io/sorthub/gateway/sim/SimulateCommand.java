package io.sorthub.gateway.sim;

import io.sorthub.protocol.DecisionReason;
import io.sorthub.kit.cli.HostPort;
import io.sorthub.kit.cli.HttpUrl;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code simulate}: N scanner sources drive hub-service at a target rate, with a progress line
 * every second and a summary at the end. Exits 1 if any event sent was never acknowledged.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Simulated scanners sending realistic hub traffic straight to hub-service.")
public final class SimulateCommand implements Callable<Integer> {
    /** The machine's clocks: this tool paces and times real traffic. */
    private static final NanoClock CLOCK = SystemNanoClock.INSTANCE;
    private static final EpochClock WALL = SystemEpochClock.INSTANCE;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "hub-service host (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "7400", description = "hub-service scan port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--sources", defaultValue = "4", description = "scanner sources, one connection each (default ${DEFAULT-VALUE})")
    int sources;

    @Option(names = "--first-source", defaultValue = "1", description = "source id of the first source (default ${DEFAULT-VALUE})")
    int firstSource;

    @Option(names = "--rate", defaultValue = "2000",
        description = "events per second over all sources; 0 = as fast as the hub acknowledges (default ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--duration", defaultValue = "0", description = "seconds to send; 0 = until --events or Ctrl-C")
    long durationSeconds;

    @Option(names = "--events", defaultValue = "0", description = "events per source; 0 = no limit")
    long events;

    @Option(names = "--warmup", defaultValue = "0",
        description = "seconds at the start whose latencies are left out of the summary (JIT warm-up); events still count")
    long warmupSeconds;

    @Option(names = "--json", description = "also write the summary as JSON to this file")
    Path json;

    @Option(names = "--hub-latency", paramLabel = "URL",
        description = "the hub's GET /api/latency: read after the warm-up (to start its interval) and at the end, "
            + "so the summary shows the hub's own share of the latency beside the whole round trip")
    String hubLatencyUrl;

    @Option(names = "--quiet", description = "no progress line, summary only")
    boolean quiet;

    @Option(names = "--native", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
        description = "speak native scanner lines (generic-csv profile) to a gateway's device port instead of the hub protocol")
    HostPort nativeTarget;

    @Option(names = "--hub-metrics", paramLabel = "URL", converter = HttpUrl.class,
        description = "with --native: the hub's /metrics, read before and after the run for its decisions by reason "
            + "(the gateway answers outlets only)")
    URI hubMetrics;

    @Option(names = "--seed", description = "seeds the traffic and names the run in every barcode, so that each run sends "
        + "parcels of its own (default: the clock); the same seed sends the same traffic again")
    Long seed;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (sources < 1 || rate < 0 || durationSeconds < 0 || events < 0) {
            System.err.println("simulate: --sources must be >= 1; --rate, --duration and --events >= 0");
            return 2;
        }
        final long runSeed = seed != null ? seed : WALL.time();
        final String run = Long.toString(runSeed, 36) + "-";
        final long startNs = CLOCK.nanoTime();
        final long deadline = durationSeconds == 0 ? Long.MAX_VALUE : startNs + TimeUnit.SECONDS.toNanos(durationSeconds);
        final long perSourceLimit = events == 0 ? Long.MAX_VALUE : events;
        if (nativeTarget != null) {
            return runNative(startNs, deadline, perSourceLimit, runSeed, run);
        }
        final List<SimulatedSource> list = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            final long share = rate == 0 ? 0 : Math.max(1, rate / sources);
            try {
                list.add(new SimulatedSource(host, port, firstSource + i, share, perSourceLimit, deadline, runSeed + i, run));
            } catch (IOException e) {
                System.err.printf("simulate: cannot open source %d at %s:%d: %s%n", firstSource + i, host, port, e.getMessage());
                for (SimulatedSource opened : list) {
                    opened.close();
                }
                return 1;
            }
        }
        final StopHook hook = new StopHook(() -> list.forEach(SimulatedSource::stop));
        for (SimulatedSource source : list) {
            final Thread t = new Thread(source, "sim-sender");
            t.start();
            threads.add(t);
        }
        final Histogram decisions = new Histogram(3);
        final Histogram acks = new Histogram(3);
        long lastSent = 0;
        long lastTick = CLOCK.nanoTime();
        final long warmupEnd = startNs + TimeUnit.SECONDS.toNanos(warmupSeconds);
        boolean warm = warmupSeconds == 0;
        if (warm) {
            hubLatency(); // start the hub's interval with the run
        }
        while (threads.stream().anyMatch(Thread::isAlive)) {
            StopHook.awaitTick(threads, lastTick);
            final long now = CLOCK.nanoTime();
            if (now - lastTick >= 1_000_000_000L) {
                final Histogram intervalDecisions = new Histogram(3);
                final Histogram intervalAcks = new Histogram(3);
                for (SimulatedSource s : list) {
                    intervalDecisions.add(s.decisionLatency.getIntervalHistogram());
                    intervalAcks.add(s.ackLatency.getIntervalHistogram());
                }
                acks.add(intervalAcks);
                if (!warm && now >= warmupEnd) {
                    warm = true; // forget what was measured while the JIT was still compiling
                    decisions.reset();
                    acks.reset();
                    java.util.concurrent.CompletableFuture.runAsync(this::hubLatency); // the hub's too, off this thread
                } else if (warm) {
                    decisions.add(intervalDecisions);
                }
                final long sent = sum(list, s -> s.sent.get());
                if (!quiet) {
                    out.printf(Locale.ROOT, "%5.0fs sent %,d (%,.0f/s) in-flight %,d decision p50 %.3f ms p99 %.3f ms"
                            + " ACK p99 %.3f ms max %.3f ms no-reads %,d%n",
                        (now - startNs) / 1e9, sent, (sent - lastSent) * 1e9 / (now - lastTick),
                        sent - sum(list, s -> s.acked.get() - s.firstSequence + 1),
                        intervalDecisions.getValueAtPercentile(50) / 1e6, intervalDecisions.getValueAtPercentile(99) / 1e6,
                        intervalAcks.getValueAtPercentile(99) / 1e6, intervalAcks.getMaxValue() / 1e6,
                        sum(list, SimulatedSource::noReads));
                }
                lastSent = sent;
                lastTick = now;
            }
        }
        final long sendEnd = CLOCK.nanoTime();
        // Wait for the last ACKs, bounded: an event never acknowledged is a failure to report.
        final long ackDeadline = CLOCK.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (CLOCK.nanoTime() < ackDeadline
            && list.stream().anyMatch(s -> s.acked.get() < s.lastSequence() && !s.closed)) {
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        for (SimulatedSource s : list) {
            decisions.add(s.decisionLatency.getIntervalHistogram());
            acks.add(s.ackLatency.getIntervalHistogram());
            s.close();
        }
        hubShare = hubLatency();
        try {
            return summary(list, decisions, acks, (sendEnd - startNs) / 1e9, run);
        } finally {
            hook.close();
        }
    }

    private String hubShare;

    /** The hub's latency figures since the last call (JSON), or null without --hub-latency or when it cannot be read. */
    private String hubLatency() {
        if (hubLatencyUrl == null) {
            return null;
        }
        try {
            final java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(hubLatencyUrl)).timeout(java.time.Duration.ofSeconds(5))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().replaceAll("\\s+", "") : null;
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            System.err.println("simulate: cannot read the hub's latency at " + hubLatencyUrl + ": " + e.getMessage());
            return null;
        }
    }

    private int summary(List<SimulatedSource> list, Histogram decisions, Histogram acks, double seconds, String run)
        throws IOException {
        final long sent = sum(list, s -> s.sent.get());
        final long unacked = sum(list, s -> Math.max(0, s.lastSequence() - s.acked.get()));
        final long decided = sum(list, s -> s.decisions.get());
        final StringBuilder reasons = new StringBuilder();
        for (DecisionReason reason : DecisionReason.values()) {
            final long n = sum(list, s -> s.byReason[reason.code()].get());
            if (n > 0) {
                reasons.append(reasons.length() == 0 ? "" : ", ").append(reason.name().toLowerCase(Locale.ROOT))
                    .append('=').append(n);
            }
        }
        out.printf(Locale.ROOT, "summary: %d sources sent %,d events in %.1f s (%,.0f/s); decisions %,d; unacknowledged %,d; "
                + "run %s (barcodes SH…-%s…)%n", list.size(), sent, seconds, sent / Math.max(seconds, 1e-9), decided, unacked,
            run.substring(0, run.length() - 1), run);
        out.printf(Locale.ROOT, "  decisions by reason: %s%n", reasons);
        out.printf(Locale.ROOT, "  DECISION latency ms%s: p50 %.3f p99 %.3f p99.9 %.3f max %.3f%n", warmupNote(), ms(decisions, 50),
            ms(decisions, 99), ms(decisions, 99.9), decisions.getMaxValue() / 1e6);
        out.printf(Locale.ROOT, "  ACK latency ms%s:      p50 %.3f p99 %.3f p99.9 %.3f max %.3f%n", warmupNote(), ms(acks, 50),
            ms(acks, 99), ms(acks, 99.9), acks.getMaxValue() / 1e6);
        if (hubShare != null) {
            out.println("  the hub's own share (batch read to reply written, us): " + hubShare);
        }
        list.stream().filter(s -> s.error != null).forEach(s -> out.println("  error: " + s.error));
        if (json != null) {
            Files.writeString(json, String.format(Locale.ROOT,
                "{\"sources\":%d,\"sent\":%d,\"seconds\":%.3f,\"ratePerSecond\":%.1f,\"decisions\":%d,\"unacknowledged\":%d,"
                    + "\"decisionLatencyMs\":{\"p50\":%.4f,\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f},"
                    + "\"ackLatencyMs\":{\"p50\":%.4f,\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f},\"hubLatencyUs\":%s}%n",
                list.size(), sent, seconds, sent / Math.max(seconds, 1e-9), decided, unacked,
                ms(decisions, 50), ms(decisions, 99), ms(decisions, 99.9), decisions.getMaxValue() / 1e6,
                ms(acks, 50), ms(acks, 99), ms(acks, 99.9), acks.getMaxValue() / 1e6, hubShare == null ? "null" : hubShare));
        }
        if (unacked > 0) {
            out.printf("FAILED: %,d events were never acknowledged%n", unacked);
            return 1;
        }
        return 0;
    }

    /** Native mode: induction scanners into a gateway; every read must get an answer line. */
    private int runNative(long startNs, long deadline, long perSourceLimit, long runSeed, String run) throws Exception {
        final Map<String, Long> hubBefore = hubDecisions();
        final List<NativeSource> list = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            try {
                list.add(new NativeSource(nativeTarget.host(), nativeTarget.port(), firstSource + i,
                    rate == 0 ? 0 : Math.max(1, rate / sources), perSourceLimit, deadline, runSeed + i, run));
            } catch (IOException e) {
                System.err.printf("simulate: cannot reach the gateway at %s: %s%n", nativeTarget, e.getMessage());
                for (NativeSource s : list) {
                    s.close();
                }
                return 1;
            }
        }
        final StopHook hook = new StopHook(() -> list.forEach(NativeSource::stop));
        final List<Thread> threads = new ArrayList<>();
        for (NativeSource s : list) {
            final Thread t = new Thread(s, "native-sender");
            t.start();
            threads.add(t);
        }
        final Histogram answers = new Histogram(3);
        long lastSent = 0;
        long lastTick = CLOCK.nanoTime();
        final long warmupEnd = startNs + TimeUnit.SECONDS.toNanos(warmupSeconds);
        boolean warm = warmupSeconds == 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            StopHook.awaitTick(threads, lastTick);
            final long now = CLOCK.nanoTime();
            if (now - lastTick >= 1_000_000_000L) {
                final Histogram interval = new Histogram(3);
                list.forEach(s -> interval.add(s.answerLatency.getIntervalHistogram()));
                final boolean counted = warm;
                if (!warm && now >= warmupEnd) {
                    warm = true; // what was measured while the JIT was still compiling stays out of the summary
                } else if (warm) {
                    answers.add(interval);
                }
                final long sent = list.stream().mapToLong(s -> s.sent.get()).sum();
                if (!quiet) {
                    out.printf(Locale.ROOT, "%5.0fs reads %,d (%,.0f/s) answered %,d answer p50 %.3f ms p99 %.3f ms no-reads %,d%s%n",
                        (now - startNs) / 1e9, sent, (sent - lastSent) * 1e9 / (now - lastTick),
                        list.stream().mapToLong(s -> s.answered.get()).sum(), interval.getValueAtPercentile(50) / 1e6,
                        interval.getValueAtPercentile(99) / 1e6, list.stream().mapToLong(s -> s.noReads.get()).sum(),
                        counted ? "" : " (warm-up)");
                }
                lastSent = sent;
                lastTick = now;
            }
        }
        final double seconds = (CLOCK.nanoTime() - startNs) / 1e9;
        final long answerDeadline = CLOCK.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (CLOCK.nanoTime() < answerDeadline
            && list.stream().anyMatch(s -> s.answered.get() < s.sent.get() && s.error == null)) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        final Histogram last = new Histogram(3);
        list.forEach(s -> last.add(s.answerLatency.getIntervalHistogram()));
        if (warm) {
            answers.add(last);
        }
        final long sent = list.stream().mapToLong(s -> s.sent.get()).sum();
        final long answered = list.stream().mapToLong(s -> s.answered.get()).sum();
        final long noReads = list.stream().mapToLong(s -> s.noReads.get()).sum();
        for (NativeSource s : list) {
            s.close();
        }
        try {
            out.printf(Locale.ROOT, "summary: %d scanners sent %,d reads to %s in %.1f s (%,.0f/s); answered %,d; no-reads sent %,d;"
                    + " run %s (barcodes SH…-%s…)%n", list.size(), sent, nativeTarget, seconds, sent / Math.max(seconds, 1e-9),
                answered, noReads, run.substring(0, run.length() - 1), run);
            out.printf(Locale.ROOT, "  answers by outlet: %s%n", byOutlet(list));
            if (hubBefore != null) {
                final Map<String, Long> hubAfter = hubDecisions();
                if (hubAfter != null) {
                    out.printf(Locale.ROOT, "  hub decisions by reason: %s%n", HubDecisionCounts.since(hubBefore, hubAfter));
                }
            }
            out.printf(Locale.ROOT, "  answer latency ms%s: p50 %.3f p99 %.3f p99.9 %.3f max %.3f%n", warmupNote(),
                ms(answers, 50), ms(answers, 99), ms(answers, 99.9), answers.getMaxValue() / 1e6);
            list.stream().filter(s -> s.error != null).forEach(s -> out.println("  error: " + s.error));
            if (json != null) {
                Files.writeString(json, String.format(Locale.ROOT, "{\"scanners\":%d,\"sent\":%d,\"answered\":%d,\"seconds\":%.3f,"
                    + "\"answerLatencyMs\":{\"p50\":%.4f,\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f}}%n", list.size(), sent,
                    answered, seconds, ms(answers, 50), ms(answers, 99), ms(answers, 99.9), answers.getMaxValue() / 1e6));
            }
            if (answered < sent) {
                out.printf("FAILED: %,d reads got no answer from the gateway%n", sent - answered);
                return 1;
            }
            return 0;
        } finally {
            hook.close();
        }
    }

    /** The hub's decision counters, or null (said once) when no --hub-metrics was given or it cannot be read. */
    private Map<String, Long> hubDecisions() {
        if (hubMetrics == null) {
            return null;
        }
        try {
            return HubDecisionCounts.read(hubMetrics);
        } catch (IOException e) {
            System.err.println("simulate: the hub's decisions are not shown: " + hubMetrics + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String byOutlet(List<NativeSource> list) {
        final StringBuilder text = new StringBuilder();
        for (int outlet = 0; outlet <= 0xFFFF; outlet++) {
            long n = 0;
            for (NativeSource s : list) {
                n += s.byOutlet.get(outlet);
            }
            if (n > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(outlet).append('=').append(n);
            }
        }
        return text.toString();
    }

    private String warmupNote() {
        return warmupSeconds == 0 ? "" : " (after " + warmupSeconds + " s of warm-up)";
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }

    private static long sum(List<SimulatedSource> list, java.util.function.ToLongFunction<SimulatedSource> f) {
        return list.stream().mapToLong(f).sum();
    }
}
