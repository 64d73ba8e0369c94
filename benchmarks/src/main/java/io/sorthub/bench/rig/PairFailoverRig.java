package io.sorthub.bench.rig;

import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.client.HubClient;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a hub pair takes to come back when its active dies under load: a three-broker
 * Kafka cluster in this JVM, two hub-service processes (the jar, {@code durability sync}),
 * one source streaming SORT_REQUESTs at a steady rate to whichever instance is active and
 * resending what was not acknowledged. The active is SIGKILLed {@code KILLS} times at random
 * moments; for each kill the rig records the time from the kill to the first DECISION and to
 * the first ACK of an event sent after it, from the new active. The killed instance is started
 * again (it rejoins as a standby) before the next kill. Prints one JSON line.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.sorthub.bench.rig.PairFailoverRig DIR [KILLS] [RATE]}
 * (after {@code mvn -B -DskipTests package}; the hub jar is hub-service/target/hub-service.jar)
 */
public final class PairFailoverRig {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One hub process of the pair. */
    private static final class Hub {
        final String name;
        final Path data;
        final int scanPort;
        final int httpPort;
        final String bootstrap;
        Process process;

        Hub(String name, Path data, int scanPort, int httpPort, String bootstrap) {
            this.name = name;
            this.data = data;
            this.scanPort = scanPort;
            this.httpPort = httpPort;
            this.bootstrap = bootstrap;
        }

        void start() throws IOException {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", "hub-service/target/hub-service.jar", "--data-dir", data.toString(), "--scan-port",
                Integer.toString(scanPort), "--http-port", Integer.toString(httpPort), "--pair-bootstrap", bootstrap,
                "--pair-name", "rig", "--pair-instance", name)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling(name + ".log").toFile()))
                .start(); // appended: each takeover's log lines survive the restarts that follow
        }

        String role() {
            try {
                final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/pair")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                final var m = java.util.regex.Pattern.compile("\"role\" : \"(\\w+)\"").matcher(r.body());
                final var lag = java.util.regex.Pattern.compile("\"replicationLag\" : (\\d+)").matcher(r.body());
                return m.find() ? m.group(1) + (lag.find() ? ":" + lag.group(1) : "") : "?";
            } catch (Exception e) {
                return "down";
            }
        }
    }

    /** A source that follows the pair and resends what was not acknowledged. */
    private static final class Source implements HubClient.Listener {
        final List<Hub> hubs;
        final AtomicLong acked = new AtomicLong();
        final AtomicLong lastDecided = new AtomicLong();
        volatile long firstAckAfterNs;
        volatile long firstDecisionAfterNs;
        volatile long watchFrom = Long.MAX_VALUE;
        volatile boolean lost;
        HubClient client;
        long next = 1;

        Source(List<Hub> hubs) {
            this.hubs = hubs;
        }

        /** Connect to whichever instance takes the session. */
        void connect(long deadlineNs) throws Exception {
            if (client != null) {
                try {
                    client.close();
                } catch (IOException gone) {
                    // the old session's hub is dead
                }
            }
            int i = 0;
            while (System.nanoTime() < deadlineNs) {
                final Hub hub = hubs.get(i++ % hubs.size());
                try {
                    client = HubClient.connect("127.0.0.1", hub.scanPort, 1, "rig", "", Duration.ofSeconds(2));
                    lost = false;
                    client.start(this);
                    acked.accumulateAndGet(client.resumeSequence(), Math::max);
                    for (long seq = acked.get() + 1; seq < next; seq++) {
                        send(seq);
                    }
                    client.flush();
                    return;
                } catch (IOException refusedOrGone) { // a standby (UNAVAILABLE), a dead instance, a reset
                    lost = true;
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
            throw new IllegalStateException("no instance of the pair took the session");
        }

        void send(long seq) throws IOException {
            client.scan().sequence(seq).deviceTimeMs(System.currentTimeMillis()).kind(EventKind.SORT_REQUEST)
                .strings("rig", "RIG" + seq, "518057", "");
            client.sendScan();
        }

        void sendNew() throws IOException {
            send(next++);
            client.flush();
        }

        @Override
        public void onDecision(DecisionFlyweight decision) {
            if (decision.sequence() >= watchFrom && firstDecisionAfterNs == 0) {
                firstDecisionAfterNs = System.nanoTime();
            }
            lastDecided.accumulateAndGet(decision.sequence(), Math::max);
        }

        @Override
        public void onAck(long sequence) {
            acked.accumulateAndGet(sequence, Math::max);
            if (sequence >= watchFrom && firstAckAfterNs == 0) {
                firstAckAfterNs = System.nanoTime();
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            lost = true;
        }
    }

    public static void main(String[] args) throws Exception {
        final Path base = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "."), "pair-rig");
        final int kills = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        final int rate = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(3).setNumControllerNodes(1).setBaseDirectory(base.resolve("kafka")).build())
            .setConfigProp("group.min.session.timeout.ms", "200")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("transaction.state.log.num.partitions", "3")
            .setConfigProp("offsets.topic.num.partitions", "3")
            .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        final List<Hub> hubs = List.of(new Hub("a", base.resolve("a"), 7451, 7461, cluster.bootstrapServers()),
            new Hub("b", base.resolve("b"), 7452, 7462, cluster.bootstrapServers()));
        final Histogram ackMs = new Histogram(60_000, 3);
        final Histogram decisionMs = new Histogram(60_000, 3);
        final List<Long> samples = new ArrayList<>();
        final Random random = new Random(1);
        try {
            for (Hub hub : hubs) {
                hub.start();
            }
            awaitTrue(() -> hubs.stream().anyMatch(h -> h.role().startsWith("active")), "an active");
            final Source source = new Source(hubs);
            source.connect(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            final long periodNs = 1_000_000_000L / rate;
            long nextSendNs = System.nanoTime();
            for (int k = 0; k < kills; k++) {
                // Steady first: an active, a caught-up standby, acknowledgements flowing.
                final long settleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500 + random.nextInt(1_000));
                Hub active = null;
                while (System.nanoTime() < settleUntil || active == null) {
                    nextSendNs = pace(source, nextSendNs, periodNs);
                    if (System.nanoTime() >= settleUntil) {
                        active = hubs.stream().filter(h -> h.role().startsWith("active")).findFirst().orElse(null);
                        final boolean standbyReady = hubs.stream().anyMatch(h -> h.role().equals("standby:0"));
                        if (!standbyReady) {
                            active = null;
                        }
                    }
                }
                final long killNs = System.nanoTime();
                source.firstAckAfterNs = 0;
                source.firstDecisionAfterNs = 0;
                source.watchFrom = source.next; // events sent from now on
                active.process.destroyForcibly();
                while (source.firstAckAfterNs == 0) {
                    if (source.lost) {
                        source.connect(killNs + TimeUnit.SECONDS.toNanos(60));
                    }
                    nextSendNs = pace(source, nextSendNs, periodNs);
                    if (System.nanoTime() - killNs > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException("no ACK from a new active 60 s after kill " + (k + 1));
                    }
                }
                final long ack = TimeUnit.NANOSECONDS.toMillis(source.firstAckAfterNs - killNs);
                ackMs.recordValue(ack);
                decisionMs.recordValue(TimeUnit.NANOSECONDS.toMillis(source.firstDecisionAfterNs - killNs));
                samples.add(ack);
                System.err.printf("kill %d of %d (%s at %s): first DECISION after %d ms, first ACK after %d ms%n", k + 1, kills,
                    active.name, java.time.LocalTime.now().minusNanos(System.nanoTime() - killNs),
                    TimeUnit.NANOSECONDS.toMillis(source.firstDecisionAfterNs - killNs), ack);
                active.process.waitFor(30, TimeUnit.SECONDS);
                active.start(); // the old active's machine comes back: it rejoins as a standby
            }
            System.out.printf(Locale.ROOT, "{\"rig\":\"pair-failover\",\"kills\":%d,\"ratePerSecond\":%d,"
                + "\"firstAckMs\":{\"p50\":%d,\"p90\":%d,\"max\":%d},\"firstDecisionMs\":{\"p50\":%d,\"max\":%d},"
                + "\"acked\":%d,\"samples\":%s}%n", kills, rate, ackMs.getValueAtPercentile(50), ackMs.getValueAtPercentile(90),
                ackMs.getMaxValue(), decisionMs.getValueAtPercentile(50), decisionMs.getMaxValue(), source.acked.get(), samples);
        } finally {
            for (Hub hub : hubs) {
                if (hub.process != null) {
                    hub.process.destroyForcibly();
                }
            }
            cluster.close();
        }
    }

    /** Send what the rate allows by now; returns when the next event is due. */
    private static long pace(Source source, long nextSendNs, long periodNs) throws IOException {
        final long now = System.nanoTime();
        long next = nextSendNs;
        try {
            while (next <= now && !source.lost) {
                source.sendNew();
                next += periodNs;
            }
        } catch (IOException e) {
            source.lost = true; // reconnects and resends
        }
        if (next > now) {
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next - now, 1_000_000L));
        }
        return source.lost ? now : next;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within 120 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
