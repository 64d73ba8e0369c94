package io.sorthub.hub.security;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.HelloFlyweight;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While hostile clients do their worst on 127.0.0.1 — hundreds of connections that never say
 * HELLO, random bytes, a client trickling a frame one byte at a time, one that floods and
 * never reads its replies — a well-behaved source gets every event decided, acknowledged
 * and journaled.
 */
@Timeout(120)
class HostileClientsTest {
    @TempDir
    Path dir;

    @Test
    void aWellBehavedSourceIsUnaffected() throws Exception {
        final HubConfig config = TestHub.config(dir);
        config.helloTimeoutMs = 2_000;
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> attackers = new ArrayList<>();
        final List<Socket> mute = new ArrayList<>();
        try (HubService hub = HubService.start(config)) {
            final int port = hub.scanPort();
            for (int i = 0; i < 200; i++) {
                mute.add(new Socket("127.0.0.1", port)); // never say HELLO: closed by the HELLO timeout
            }
            attackers.add(attacker("random-bytes", () -> {
                final Random random = new Random(1);
                while (!stop.get()) {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        final byte[] junk = new byte[1 + random.nextInt(4096)];
                        random.nextBytes(junk);
                        s.getOutputStream().write(junk);
                        s.getOutputStream().flush();
                        s.setSoTimeout(5_000);
                        s.getInputStream().readAllBytes(); // ERROR, then closed
                    }
                }
            }));
            attackers.add(attacker("trickle", () -> {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[512]);
                int n = new HelloFlyweight().wrapForEncode(b, 0).sourceId(66).strings("slow", "").frameLength();
                n += new ScanFlyweight().wrapForEncode(b, n).sequence(1).kind(EventKind.SORT_REQUEST)
                    .strings("T", "SLOW1", "518", "").frameLength();
                try (Socket s = new Socket("127.0.0.1", port)) {
                    final OutputStream out = s.getOutputStream();
                    for (int i = 0; i < n && !stop.get(); i++) {
                        out.write(b.getByte(i));
                        out.flush();
                        LockSupport.parkNanos(2_000_000); // one byte every 2 ms: the attack, not a wait
                    }
                }
            }));
            attackers.add(attacker("never-reads", () -> {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[512]);
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setReceiveBufferSize(4096);
                    final OutputStream out = s.getOutputStream();
                    int n = new HelloFlyweight().wrapForEncode(b, 0).sourceId(77).strings("flood", "").frameLength();
                    out.write(b.byteArray(), 0, n);
                    for (long seq = 1; !stop.get() && seq < 2_000_000; seq++) {
                        n = new ScanFlyweight().wrapForEncode(b, 0).sequence(seq).kind(EventKind.SORT_REQUEST)
                            .strings("T", "F" + seq, "518", "").frameLength();
                        out.write(b.byteArray(), 0, n); // blocks once the hub stops reading it: that is the point
                    }
                }
            }));

            try (ScanSender good = new ScanSender(port, 1)) {
                good.send(1, 20_000);
                good.awaitAck(20_000, Duration.ofSeconds(60));
                assertThat(good.decisionCount.get()).isEqualTo(20_000);
                assertThat(good.error.get()).isNull();
            }
        } finally {
            stop.set(true);
            for (Socket s : mute) {
                s.close();
            }
            for (Thread t : attackers) {
                t.join(30_000);
            }
        }
        final var mine = TestHub.readJournal(dir).stream().filter(e -> e.sourceId() == 1).toList();
        assertThat(mine).hasSize(20_000);
        assertThat(TestHub.readJournal(dir).stream().filter(e -> e.sourceId() == 66)).as("trickled frame, if whole, once")
            .hasSizeLessThanOrEqualTo(1);
    }

    private interface Attack {
        void run() throws Exception;
    }

    private static Thread attacker(String name, Attack attack) {
        final Thread t = new Thread(() -> {
            try {
                attack.run();
            } catch (Exception e) {
                // the hub closing an attacker's connection is the expected outcome
            }
        }, "attacker-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
