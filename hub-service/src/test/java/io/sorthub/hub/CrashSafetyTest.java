package io.sorthub.hub;

import io.sorthub.test.Await;
import io.sorthub.hub.TestHub.Entry;
import io.sorthub.hub.journal.Journal;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.client.HubClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety, proved: hub-service runs as its own process, is killed with SIGKILL at
 * random moments while sources stream, and restarts on the same data folder; the sources
 * resend what was not acknowledged. Afterwards every event any source saw acknowledged is
 * in the journal exactly once, in per-source order, WELCOME never resumed below an ACK,
 * and a parcel trace agrees with the journal. {@code -Dsorthub.crash.kills=N} for more
 * kills (scripts/crash-test.sh).
 */
@Timeout(300)
class CrashSafetyTest {
    private static final int KILLS = Integer.getInteger("sorthub.crash.kills", 4);
    private static final int SOURCES = 3;

    @TempDir
    Path dataDir;

    /** A source that remembers what it sent and resends what was not acknowledged. */
    private static final class ResendingSource implements HubClient.Listener {
        final int sourceId;
        final AtomicLong acked = new AtomicLong();
        final AtomicLong maxAckSeen = new AtomicLong();
        final AtomicInteger resumeBelowAck = new AtomicInteger();
        volatile boolean lost;
        long nextNew = 1;
        HubClient client;

        ResendingSource(int sourceId) {
            this.sourceId = sourceId;
        }

        void connect(int port) throws IOException {
            lost = false;
            client = HubClient.connect("127.0.0.1", port, sourceId, "crash-" + sourceId, "", Duration.ofSeconds(10));
            final long resume = client.resumeSequence();
            if (resume < maxAckSeen.get()) {
                resumeBelowAck.incrementAndGet(); // an acknowledged event was lost
            }
            acked.set(resume);
            client.start(this);
            send(resume + 1, nextNew - 1); // resend what the hub does not hold
        }

        void send(long from, long to) throws IOException {
            for (long seq = from; seq <= to; seq++) {
                client.scan().sequence(seq).deviceTimeMs(seq).kind(seq % 4 == 1 ? EventKind.ARRIVAL : EventKind.SORT_REQUEST)
                    .strings("CRASH", barcode(seq), "518057", "");
                client.sendScan();
            }
            client.flush();
        }

        String barcode(long seq) {
            return "C" + sourceId + "-" + (seq + 3) / 4; // four events per parcel
        }

        void sendNew(int count) throws IOException {
            send(nextNew, nextNew + count - 1);
            nextNew += count;
        }

        @Override
        public void onAck(long sequence) {
            acked.accumulateAndGet(sequence, Math::max);
            maxAckSeen.accumulateAndGet(sequence, Math::max);
        }

        @Override
        public void onDecision(DecisionFlyweight decision) {
        }

        @Override
        public void onClosed(Throwable cause) {
            lost = true;
        }
    }

    @Test
    void killedAtRandomMomentsTheHubLosesNoAcknowledgedEventAndJournalsNoneTwice() throws Exception {
        final Random random = new Random();
        torture(KILLS, Journal.DEFAULT_ROLL_CYCLE,
            () -> System.nanoTime() + Duration.ofMillis(200 + random.nextInt(1_300)).toNanos());
    }

    /**
     * The journal rolls to a new file every second here; each kill lands 0-4 ms after a second
     * begins, while the writer creates and maps the new cycle file. A kill there can leave the
     * file without a header; the next start must set it aside and replay past it.
     */
    @Test
    void killedWhileTheJournalRollsToANewFileTheHubLosesNoAcknowledgedEventAndJournalsNoneTwice() throws Exception {
        final Random random = new Random();
        final int kills = Integer.getInteger("sorthub.crash.rollKills", 6);
        final int quarantined = torture(kills, "TEST_SECONDLY", () -> {
            final long nowMs = System.currentTimeMillis();
            final long boundaryMs = (nowMs / 1_000 + 1) * 1_000 + (nowMs % 1_000 > 700 ? 1_000 : 0); // stream 300 ms at least
            return System.nanoTime() + Duration.ofMillis(boundaryMs - nowMs).toNanos() + random.nextInt(4_000_000);
        });
        System.out.printf("roll-over kills: %d, cycle files left without a header and set aside: %d%n", kills, quarantined);
    }

    /** @return how many cycle files the restarts set aside */
    private int torture(int kills, String rollCycle, java.util.function.LongSupplier killAtNanos) throws Exception {
        final Random random = new Random();
        final Path config = dataDir.resolve("test-hub.yaml");
        Files.writeString(config, "journalRollCycle: " + rollCycle + "\n");
        final List<ResendingSource> sources = new ArrayList<>();
        for (int s = 1; s <= SOURCES; s++) {
            sources.add(new ResendingSource(s));
        }
        long ackedBeforeKills = 0;
        for (int round = 0; round <= kills; round++) {
            final ChildHub hub = new ChildHub(dataDir, "--config", config.toString());
            for (ResendingSource source : sources) {
                source.connect(hub.scanPort);
            }
            if (round == kills) {
                // Last run: finish, let every event be acknowledged, stop in order, then check.
                for (ResendingSource source : sources) {
                    source.sendNew(1_000);
                    final long last = source.nextNew - 1;
                    Await.until(Duration.ofSeconds(60), () -> source.acked.get() >= last, () -> "source " + source.sourceId
                        + " acked " + source.acked.get() + " of " + last);
                }
                checkTrace(hub, sources.get(0));
                for (ResendingSource source : sources) {
                    source.client.close();
                }
                hub.close();
                break;
            }
            // Stream until the chosen moment, then SIGKILL mid-stream.
            final long killAt = killAtNanos.getAsLong();
            while (System.nanoTime() < killAt) {
                for (ResendingSource source : sources) {
                    source.sendNew(50 + random.nextInt(200));
                }
            }
            hub.kill();
            ackedBeforeKills = 0;
            for (ResendingSource source : sources) {
                Await.until(Duration.ofSeconds(10), () -> source.lost, () -> "connection noticed lost");
                source.client.close();
                ackedBeforeKills += source.maxAckSeen.get();
            }
        }

        final List<Entry> journal = TestHub.readJournal(dataDir, rollCycle);
        final Map<Integer, List<Entry>> bySource = journal.stream().collect(Collectors.groupingBy(Entry::sourceId));
        long checked = 0;
        for (ResendingSource source : sources) {
            assertThat(source.resumeBelowAck.get()).as("WELCOME resumed below an ACK for source %d", source.sourceId).isZero();
            final List<Entry> mine = bySource.get(source.sourceId);
            final long sent = source.nextNew - 1;
            assertThat(mine).as("source %d: every event once", source.sourceId).hasSize((int) sent);
            for (int i = 0; i < sent; i++) {
                assertThat(mine.get(i).sequence()).as("source %d order", source.sourceId).isEqualTo(i + 1);
                assertThat(mine.get(i).barcode()).isEqualTo(source.barcode(i + 1));
            }
            checked += sent;
        }
        System.out.printf("crash safety (%s): %d SIGKILLs, %d events checked in the journal (%d had been acknowledged "
            + "by the last kill), 0 lost, 0 duplicated, per-source order held%n", rollCycle, kills, checked, ackedBeforeKills);
        final Path aside = dataDir.resolve(io.sorthub.hub.journal.CycleFileCheck.QUARANTINE);
        if (!Files.isDirectory(aside)) {
            return 0;
        }
        try (var files = Files.list(aside)) {
            return (int) files.count();
        }
    }

    private static void checkTrace(ChildHub hub, ResendingSource source) throws Exception {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final String barcode = source.barcode(1);
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hub.httpPort + "/api/parcels/" + barcode))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        final var events = new JsonObject(r.body()).getJsonArray("events");
        assertThat(events).as("parcel %s: its four events, once each, despite the kills", barcode).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(events.getJsonObject(i).getLong("sequence")).isEqualTo(i + 1);
        }
    }
}
