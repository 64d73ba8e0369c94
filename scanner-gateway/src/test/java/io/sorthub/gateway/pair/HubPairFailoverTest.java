package io.sorthub.gateway.pair;

import io.sorthub.test.Exposition;
import io.sorthub.gateway.Gateway;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.GatewayService;
import io.sorthub.gateway.sim.SimulateCommand;
import io.sorthub.test.Await;
import io.sorthub.hub.ChildHub;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ReplicatedBatch;
import io.sorthub.hub.pair.PairCluster;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.client.HubClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub pair under a gateway's load, from the outside: two hub-service processes on a
 * three-broker Kafka cluster, a gateway in front of simulated scanners. The active is
 * SIGKILLed, then frozen (SIGSTOP) until the standby takes over and thawed, then handed over
 * by an operator. Afterwards every read the gateway saw acknowledged is in the active's
 * journal exactly once and in order, a frozen active sends no ACK after the takeover, and the
 * switchover costs the sorter no fallback answer. The pair's log, read as a standby reads it
 * (read_committed, decoded by the same code), holds each acknowledged read in exactly one
 * committed batch, in order, and nothing of what the frozen active took after the takeover.
 */
@Timeout(300)
class HubPairFailoverTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HubPairFailoverTest.class);

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PAIR = "line";
    private static final int SPY_SOURCE = 900;
    private static PairCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new PairCluster();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One instance of the pair, as a process. */
    private final class Instance {
        final String name;
        final Path data;
        ChildHub process;

        Instance(String name) {
            this.name = name;
            this.data = dir.resolve(name);
        }

        void start() throws Exception {
            // A restarted instance comes back on its port: the gateway dials the addresses it was given.
            process = new ChildHub(data, process == null ? 0 : process.scanPort, cluster.hubArgs(PAIR, name));
        }

        String role() {
            try {
                final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + process.httpPort + "/api/pair")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? new JsonObject(r.body()).getString("role") : "http " + r.statusCode();
            } catch (Exception e) {
                return "unreachable: " + e;
            }
        }

        String address() {
            return "127.0.0.1:" + process.scanPort;
        }
    }

    private static double metric(Gateway gateway, String name) {
        return Exposition.sum(gateway.scrape(), name);
    }

    /** The scans' sequences in the log's batches, per source, in log order, decoded as a standby decodes them. */
    private static Map<Integer, List<Long>> scansBySource(List<ReplicatedBatch> batches) {
        final Map<Integer, List<Long>> sequences = new TreeMap<>();
        final JournalRecord record = new JournalRecord();
        for (ReplicatedBatch batch : batches) {
            batch.forEachRecord((buffer, offset, length) -> {
                if (record.wrap(buffer, offset).type() == JournalRecord.TYPE_SCAN) {
                    sequences.computeIfAbsent(record.scan().sourceId(), source -> new ArrayList<>())
                        .add(record.scan().frame().sequence());
                }
            });
        }
        return sequences;
    }

    private void awaitRole(Instance instance, String role) {
        Await.until(WAIT, () -> role.equals(instance.role()), () -> instance.name + " is " + instance.role() + ", not " + role);
    }

    @Test
    void killedFrozenAndHandedOverTheActiveLosesNoAcknowledgedRead() throws Exception {
        final Instance a = new Instance("a");
        final Instance b = new Instance("b");
        a.start();
        awaitRole(a, "active");
        b.start();
        awaitRole(b, "standby");

        final GatewayConfig config = new GatewayConfig();
        config.hubs = List.of(a.address(), b.address());
        config.hubHeartbeatMs = 250;
        config.hubSilenceMs = 1_000;
        config.httpPort = 0;
        config.spoolDir = dir.resolve("spool").toString();
        config.devices.get(0).port = 0;
        config.devices.get(0).deadlineMs = 2_000; // generous: a loaded machine must not turn into fallbacks here
        final AtomicInteger simulateExit = new AtomicInteger(-1);
        final Random random = new Random();
        try (GatewayService service = GatewayService.start(config)) {
            final Gateway gateway = service.gateway();
            final Thread scanners = new Thread(() -> simulateExit.set(new CommandLine(new SimulateCommand()).execute(
                "--native", "127.0.0.1:" + gateway.devicePort("tunnel-1"), "--sources", "2", "--rate", "400",
                "--duration", "45", "--quiet")), "scanners");
            scanners.start();
            Await.until(WAIT, () -> gateway.ackedSequence() > 500, () -> "acked " + gateway.ackedSequence());

            // 1. SIGKILL the active at a random moment: the standby takes over, nothing acknowledged is lost.
            // Anywhere in the load's first 6 s or so: the later steps (about 20 s on 2 cores) must end before it does.
            final long killAfter = 200 + random.nextInt(4_800);
            LOG.info("SIGKILL of the active {} ms after the 500th ACK", killAfter);
            final long killAt = System.nanoTime() + Duration.ofMillis(killAfter).toNanos();
            Await.until(WAIT, () -> System.nanoTime() >= killAt, () -> "");
            a.process.kill();
            final long ackedAtKill = gateway.ackedSequence();
            awaitRole(b, "active");
            Await.until(WAIT, () -> gateway.ackedSequence() > ackedAtKill + 200, () -> "acks after the takeover: "
                + gateway.ackedSequence() + " vs " + ackedAtKill);
            a.start(); // the old active's machine comes back: it rejoins as a standby
            awaitRole(a, "standby");

            // 2. Freeze the active (SIGSTOP) until the standby takes over, then thaw it.
            final HubClient spy = HubClient.connect("127.0.0.1", b.process.scanPort, SPY_SOURCE, "spy", "", WAIT);
            final AtomicLong spyAck = new AtomicLong();
            spy.start(new HubClient.Listener() {
                @Override
                public void onAck(long sequence) {
                    spyAck.accumulateAndGet(sequence, Math::max);
                }

                @Override
                public void onDecision(DecisionFlyweight decision) {
                }
            });
            spy.scan().sequence(1).kind(EventKind.ARRIVAL).strings("spy", "SPY1", "", "");
            spy.sendScan();
            spy.flush();
            Await.until(WAIT, () -> spyAck.get() == 1, () -> "spy's first ACK");
            new ProcessBuilder("kill", "-STOP", Long.toString(b.process.process.pid())).start().waitFor();
            // Sent to the frozen active: it reads them when it thaws, but must never acknowledge them.
            for (long seq = 2; seq <= 20; seq++) {
                spy.scan().sequence(seq).kind(EventKind.ARRIVAL).strings("spy", "SPY" + seq, "", "");
                spy.sendScan();
            }
            spy.flush();
            awaitRole(a, "active");
            final long ackedAtTakeover = gateway.ackedSequence();
            Await.until(WAIT, () -> gateway.ackedSequence() > ackedAtTakeover + 200, () -> "the gateway moved to the new "
                + "active: acked " + gateway.ackedSequence());
            new ProcessBuilder("kill", "-CONT", Long.toString(b.process.process.pid())).start().waitFor();
            Await.until(WAIT, () -> b.process.output.stream().anyMatch(l -> l.contains("restarted as a standby")),
                () -> "the thawed instance restarts as a standby:\n" + String.join("\n", b.process.output));
            awaitRole(b, "standby");
            assertThat(spyAck.get()).as("no ACK from the deposed active after the takeover").isEqualTo(1);
            spy.close();

            // 3. Operator switchover: no read gets the fallback answer.
            final double fallbacksBefore = metric(gateway, "sorthub_gateway_fallback_answers_total");
            final HttpResponse<String> switched = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.process.httpPort + "/api/pair/switchover")).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(switched.statusCode()).as(switched.body()).isEqualTo(202);
            awaitRole(b, "active");
            final long ackedAtSwitch = gateway.ackedSequence();
            Await.until(WAIT, () -> gateway.ackedSequence() > ackedAtSwitch + 200, () -> "acks after the switchover");
            awaitRole(a, "standby");
            assertThat(metric(gateway, "sorthub_gateway_fallback_answers_total") - fallbacksBefore)
                .as("fallback answers during the switchover").isZero();

            scanners.join(120_000);
            assertThat(simulateExit.get()).as("every read was answered").isZero();
            Await.until(WAIT, () -> gateway.ackedSequence() == gateway.spooledSequence(),
                () -> "acked " + gateway.ackedSequence() + " of " + gateway.spooledSequence());
            final long spooled = gateway.spooledSequence();
            Await.until(WAIT, () -> TestHub.readJournal(b.data).stream().filter(e -> e.sourceId() == config.sourceId).count()
                == spooled && TestHub.readJournal(a.data).stream().filter(e -> e.sourceId() == config.sourceId).count() == spooled,
                () -> "both journals hold every read");
            for (Instance i : List.of(a, b)) {
                final List<Long> sequences = TestHub.readJournal(i.data).stream().filter(e -> e.sourceId() == config.sourceId)
                    .map(Entry::sequence).toList();
                assertThat(sequences).as("%s: every acknowledged read once, in order", i.name)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, spooled).boxed().toList());
            }

            // 4. The pair's log, as a standby reads it: each acknowledged read in one committed batch.
            final List<ReplicatedBatch> committed = cluster.readLog(PAIR, "read_committed", WAIT);
            final Map<Integer, List<Long>> logged = scansBySource(committed);
            final Set<Long> committedOffsets = new HashSet<>();
            committed.forEach(batch -> committedOffsets.add(batch.position()));
            final long aborted = cluster.readLog(PAIR, "read_uncommitted", WAIT).stream()
                .filter(batch -> !committedOffsets.contains(batch.position())).count();
            LOG.info("pair log: {} committed batches, {} batches of aborted transactions left out",
                committed.size(), aborted);
            assertThat(logged.get(config.sourceId)).as("the pair's log (%d committed batches, %d aborted left out): every "
                    + "acknowledged read once, in order", committed.size(), aborted)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, spooled).boxed().toList());
            assertThat(logged.get(SPY_SOURCE)).as("the pair's log holds the spy's read acknowledged before the freeze, "
                + "and none the frozen active took after the takeover").containsExactly(1L);
            assertThat(logged.keySet()).as("sources in the pair's log").containsExactlyInAnyOrder(config.sourceId, SPY_SOURCE);
        } finally {
            a.process.close();
            b.process.close();
        }
    }
}
