package io.sorthub.hub.security;

import io.sorthub.test.Exposition;
import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.ErrorFlyweight;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each connection limit trips with an ERROR naming it and a metric; a good source carries on. */
@Timeout(60)
class LimitsTest {
    @TempDir
    Path dir;

    private static ErrorFlyweight readError(Socket socket) throws Exception {
        socket.setSoTimeout(20_000);
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        in.readFully(frame.byteArray(), 0, 4);
        final int length = frame.getInt(0, io.sorthub.protocol.Frame.BYTE_ORDER);
        in.readFully(frame.byteArray(), 4, length - 4);
        final FrameDecoder decoder = new FrameDecoder();
        assertThat(decoder.decode(frame, 0, length)).isEqualTo(MessageType.ERROR);
        return decoder.errorFrame();
    }

    private static double metric(HubService hub, String series) {
        return Exposition.value(hub.metrics().scrape(), series);
    }

    @Test
    void silentConnectionsAreClosed() throws Exception {
        final HubConfig config = TestHub.config(dir);
        config.helloTimeoutMs = 300;
        config.idleTimeoutMs = 600;
        try (HubService hub = HubService.start(config)) {
            // No HELLO: closed after the HELLO timeout.
            try (Socket mute = new Socket("127.0.0.1", hub.scanPort())) {
                final ErrorFlyweight error = readError(mute);
                assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
                assertThat(error.message()).contains("no HELLO within 300 ms");
            }
            assertThat(metric(hub, "sorthub_limit_trips_total{limit=\"hello_timeout\"}")).isEqualTo(1.0);

            // A session that goes quiet (no scans, no heartbeats) is closed after the idle timeout.
            final ScanSender quiet = new ScanSender(hub.scanPort(), 5);
            Await.until(Duration.ofSeconds(10), () -> quiet.closed, () -> "idle session should be closed");
            assertThat(quiet.error.get()).contains("nothing received for 600 ms");
            quiet.close();
        }
    }

    @Test
    void theConnectionCapHolds() throws Exception {
        final HubConfig config = TestHub.config(dir);
        config.maxConnections = 3; // the default HELLO timeout (10 s) keeps the three held open meanwhile
        try (HubService hub = HubService.start(config)) {
            // Three connections at most: the fourth is refused.
            final List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket("127.0.0.1", hub.scanPort()));
                }
                Await.until(Duration.ofSeconds(10), () -> metric(hub, "sorthub_connections") == 3.0, () -> "3 open");
                try (Socket fourth = new Socket("127.0.0.1", hub.scanPort())) {
                    final ErrorFlyweight error = readError(fourth);
                    assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(error.message()).contains("too many connections");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            assertThat(metric(hub, "sorthub_limit_trips_total{limit=\"max_connections\"}")).isEqualTo(1.0);
        }
    }
}
