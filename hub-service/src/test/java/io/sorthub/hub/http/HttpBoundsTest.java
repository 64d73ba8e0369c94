package io.sorthub.hub.http;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.test.TestCerts;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.client.HubClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hub's HTTP port against slow and idle clients, on a real TLS server: a connection silent
 * after its handshake and one dribbling its header are closed within their deadlines and
 * counted on /metrics; the HTTP port listens on httpHost only, apart from the scan port.
 */
@Timeout(120)
class HttpBoundsTest {
    @TempDir
    Path dir;

    @Test
    void slowAndIdleTlsClientsAreClosedWithinTheirDeadlinesAndCounted() throws Exception {
        final Path cert = dir.resolve("hub.crt");
        final Path key = dir.resolve("hub.key");
        TestCerts.selfSigned(cert, key, "hub");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.tlsCertFile = cert.toString();
        config.tlsKeyFile = key.toString();
        config.httpHeaderTimeoutMs = 500;
        config.httpIdleTimeoutMs = 1_000;
        try (HubService hub = HubService.start(config)) {
            try (SSLSocket silent = tls(hub.httpPort())) {
                // handshake done, then nothing
                assertThat(closedAfterMs(silent, null)).isBetween(300L, 10_000L);
            }
            try (SSLSocket dribbler = tls(hub.httpPort())) {
                final byte[] header = ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(300) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
                assertThat(closedAfterMs(dribbler, header)).isBetween(300L, 10_000L);
            }
            try (SSLSocket good = tls(hub.httpPort())) {
                good.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                good.setSoTimeout(10_000);
                final String metrics = new String(good.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(metrics).contains("200 OK").contains("sorthub_http_timeouts_total{kind=\"header\"} 2.0")
                    .contains("sorthub_http_connections ").contains("sorthub_http_connections_refused_total 0.0");
            }
        }
    }

    @Test
    void theHttpPortListensOnHttpHostOnlyApartFromTheScanPort() throws Exception {
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.httpHost = "127.0.0.2"; // loopback too, but another address than the scan port's
        try (HubService hub = HubService.start(config)) {
            try (Socket api = new Socket()) {
                api.connect(new InetSocketAddress("127.0.0.2", hub.httpPort()), 5_000);
            }
            assertThatThrownBy(() -> {
                try (Socket api = new Socket()) {
                    api.connect(new InetSocketAddress("127.0.0.1", hub.httpPort()), 5_000);
                }
            }).isInstanceOf(ConnectException.class);
            try (HubClient client = HubClient.connect("127.0.0.1", hub.scanPort(), 7, "line", "", Duration.ofSeconds(10))) {
                assertThat(client).isNotNull();
            }
        }
    }

    /** A TLS client, handshake done, reading with a 50 ms timeout. */
    private static SSLSocket tls(int port) throws Exception {
        final SSLContext context = TestCerts.trustAll();
        final SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        socket.setSoTimeout(50);
        return socket;
    }

    /** Send {@code bytes} one every 50 ms (none when null) until the server closes; it must close first. */
    private static long closedAfterMs(Socket socket, byte[] bytes) throws IOException {
        final long start = System.nanoTime();
        final InputStream in = socket.getInputStream();
        int sent = 0;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
            try {
                if (bytes != null) {
                    assertThat(sent).as("the slow header was sent whole before the close").isLessThan(bytes.length);
                    socket.getOutputStream().write(bytes[sent++]);
                    socket.getOutputStream().flush();
                }
                if (in.read() < 0) {
                    break;
                }
            } catch (SocketTimeoutException e) {
                // open still
            } catch (IOException e) {
                break; // closed under a write
            }
        }
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ms).as("closed by the server within 20 s").isLessThan(20_000);
        return ms;
    }
}
