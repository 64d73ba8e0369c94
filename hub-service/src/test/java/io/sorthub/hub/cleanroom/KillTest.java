package io.sorthub.hub.cleanroom;

import io.sorthub.test.Await;
import static io.sorthub.hub.cleanroom.JournalExport.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Acknowledged means journaled, exactly once" (PROTOCOL.md "What an ACK guarantees"): sources
 * stream as a gateway does (resend everything after WELCOME's resume point, delete only what
 * an ACK covers); the hub is SIGKILLed at random moments and started again on the same folder.
 */
class KillTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int KILLS = 4;
    private static final int WINDOW = 2_000;

    @TempDir
    Path dir;

    /** One source: its own numbering, what it saw acknowledged, and what it saw wrong. */
    private static final class Source implements Runnable {
        final int id;
        final AtomicInteger port;
        final AtomicLong lastUsed = new AtomicLong();
        /** The highest sequence an ACK (or a WELCOME) covered, over every session. */
        final AtomicLong acked = new AtomicLong();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final AtomicInteger sessions = new AtomicInteger();
        volatile boolean produce = true;
        volatile boolean stop;

        Source(int id, AtomicInteger port) {
            this.id = id;
            this.port = port;
        }

        @Override
        public void run() {
            while (!stop) {
                final WireClient c;
                try {
                    c = new WireClient(port.get());
                    c.expectSource(id);
                    c.send(Wire.hello(id));
                } catch (IOException hubDown) {
                    Await.pause(); // back-off until the next hub listens
                    continue;
                }
                try (c) {
                    session(c);
                } catch (RuntimeException e) {
                    problems.add("session " + sessions.get() + ": " + e);
                }
            }
        }

        private void session(WireClient c) {
            final Wire.Frame welcome = c.poll(Duration.ofSeconds(10));
            if (welcome == null || welcome.type() != Wire.WELCOME) {
                return; // the hub went away before it answered
            }
            sessions.incrementAndGet();
            final long resume = welcome.resumeSequence();
            if (resume < acked.get()) {
                problems.add("WELCOME resumed at " + resume + ", below the ACK of " + acked.get() + " seen before");
            }
            if (resume > lastUsed.get()) {
                problems.add("WELCOME resumed at " + resume + ", above the source's last sequence " + lastUsed.get());
            }
            acked.accumulateAndGet(resume, Math::max);
            final List<Long> sent = new ArrayList<>();
            long next = resume + 1;
            while (!stop && !c.isClosedByHub()) {
                acked.accumulateAndGet(c.highestAck.get(), Math::max);
                final boolean resend = next <= lastUsed.get();
                if (resend || (produce && next - acked.get() <= WINDOW)) {
                    if (!c.trySend(Wire.scan(id, next))) {
                        break;
                    }
                    sent.add(next);
                    lastUsed.accumulateAndGet(next, Math::max);
                    next++;
                } else {
                    LockSupport.parkNanos(200_000); // window full: wait for ACKs
                }
            }
            // read what the hub sent before it went away, then check this session's answers
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!stop && !c.isClosedByHub() && System.nanoTime() < deadline) {
                Await.pause();
            }
            acked.accumulateAndGet(c.highestAck.get(), Math::max);
            final List<Long> decided = c.received.stream().filter(f -> f.type() == Wire.DECISION).map(Wire.Frame::decisionSequence).toList();
            if (!decided.equals(sent.subList(0, Math.min(decided.size(), sent.size())))) {
                problems.add("session " + sessions.get() + ": DECISIONs " + WireClient.summary(c.received) + " are not the SCANs sent, in order");
            }
            if (c.received.stream().anyMatch(f -> f.type() == Wire.DECISION && f.reason() == Wire.REASON_DUPLICATE)) {
                problems.add("session " + sessions.get() + ": DUPLICATE for a SCAN above the resume point " + resume);
            }
            problems.addAll(c.violations);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyAcknowledgedEventSurvivesSigkillExactlyOnceAndInOrder() throws Exception {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final Path data = dir.resolve("data");
        final AtomicInteger port = new AtomicInteger(1); // nothing listens there until the first hub is up
        final List<Source> sources = List.of(new Source(701, port), new Source(702, port), new Source(703, port));
        final List<Thread> threads = new ArrayList<>();
        for (Source s : sources) {
            final Thread t = new Thread(s, "cleanroom-source-" + s.id);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        final List<String> log = new ArrayList<>();
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                // ACKs mean "survives a crash of the hub process" under both durability levels
                final String durability = kill % 2 == 0 ? "sync" : "pagecache";
                final HubProcess hub = HubProcess.start(data, "--durability", durability);
                try {
                    port.set(hub.scanPort);
                    final long[] before = sources.stream().mapToLong(s -> s.acked.get()).toArray();
                    Await.value("every source acknowledged by hub " + kill, WAIT, () -> {
                        for (int i = 0; i < sources.size(); i++) {
                            if (sources.get(i).acked.get() < before[i] + 200) {
                                return null;
                            }
                        }
                        return true;
                    });
                    final long delayMs = random.nextInt(300);
                    LockSupport.parkNanos(Duration.ofMillis(delayMs).toNanos()); // the random moment of the kill
                    final String acks = sources.stream().map(s -> s.id + ":" + s.acked.get()).toList().toString();
                    hub.kill();
                    log.add("kill " + kill + " (" + durability + ") " + delayMs + " ms after progress; ACKs seen " + acks);
                } finally {
                    hub.kill();
                }
            }
            try (HubProcess hub = HubProcess.start(data)) {
                port.set(hub.scanPort);
                sources.forEach(s -> s.produce = false);
                Await.value("every source acknowledged up to its last sequence", WAIT,
                    () -> sources.stream().allMatch(s -> s.acked.get() >= s.lastUsed.get()) ? true : null);
                sources.forEach(s -> s.stop = true);
                for (Thread t : threads) {
                    t.join(WAIT.toMillis());
                }
                hub.stop(WAIT);
            }
        } finally {
            sources.forEach(s -> s.stop = true);
        }

        final JournalExport journal = JournalExport.of(data);
        System.out.println("KillTest seed " + seed + ": " + log + "; last sequences "
            + sources.stream().map(s -> s.id + ":" + s.lastUsed.get()).toList());
        for (Source s : sources) {
            assertThat(s.problems).as("source %d (seed %d; %s)", s.id, seed, log).isEmpty();
            assertThat(s.sessions.get()).as("a session with each hub").isGreaterThanOrEqualTo(KILLS + 1);
            // everything acknowledged is in the journal, once, in the source's order
            assertThat(journal.scanSequences(s.id)).as("source %d (seed %d; %s)", s.id, seed, log)
                .containsExactlyElementsOf(range(1, s.lastUsed.get()));
        }
    }
}
