package io.sorthub.hub.security;

import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.test.TestCerts;
import io.sorthub.hub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation without a restart on a running hub: a new tokens file is in force within seconds
 * and the old token is refused; a renewed certificate is served on both ports.
 */
@Timeout(120)
class RotationTest {
    @TempDir
    Path dir;

    @Test
    void tokensAndTheTlsCertificateAreRotatedOnARunningHub() throws Exception {
        final Path cert = dir.resolve("hub.crt");
        final Path key = dir.resolve("hub.key");
        TestCerts.selfSigned(cert, key, "hub-2025");
        final Path tokens = dir.resolve("tokens.yaml");
        write(tokens, "tokens:\n  - {name: grafana, role: viewer, token: \"old-token\"}\n");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.tlsCertFile = cert.toString();
        config.tlsKeyFile = key.toString();
        config.apiTokensFile = tokens.toString();
        try (HubService hub = HubService.start(config)) {
            assertThat(status(hub, "old-token")).isEqualTo(200);
            assertThat(served(hub.httpPort())).isEqualTo("CN=hub-2025");
            assertThat(served(hub.scanPort())).isEqualTo("CN=hub-2025");

            write(tokens, "tokens:\n  - {name: grafana, role: viewer, token: \"new-token\"}\n");
            // Re-read off the event loops, every 2 s: in force within seconds, never half-way.
            Await.until(Duration.ofSeconds(30), () -> statusOrZero(hub, "new-token") == 200,
                () -> "the new token should be in force");
            assertThat(status(hub, "old-token")).isEqualTo(401);

            // Renewed as certbot does: new files renamed over the old ones, the certificate first.
            TestCerts.selfSigned(dir.resolve("next.crt"), dir.resolve("next.key"), "hub-2026");
            Files.move(dir.resolve("next.crt"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve("next.key"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Await.until(Duration.ofSeconds(30), () -> "CN=hub-2026".equals(served(hub.httpPort()))
                && "CN=hub-2026".equals(served(hub.scanPort())), () -> "the renewed certificate should be served on both ports");
            assertThat(status(hub, "new-token")).isEqualTo(200);
        }
    }

    private static void write(Path file, String text) throws Exception {
        final Path next = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(next, text);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The subject of the certificate a new connection to {@code port} is served. */
    private static String served(int port) {
        try (SSLSocket socket = (SSLSocket) TestCerts.trustAll().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static int statusOrZero(HubService hub, String token) {
        try {
            return status(hub, token);
        } catch (Exception e) {
            return 0;
        }
    }

    private static int status(HubService hub, String token) throws Exception {
        return HttpClient.newBuilder().sslContext(TestCerts.trustAll()).connectTimeout(Duration.ofSeconds(5)).build()
            .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.httpPort() + "/api/outlets"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
