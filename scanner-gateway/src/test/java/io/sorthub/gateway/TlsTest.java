package io.sorthub.gateway;

import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.client.HubClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS on both hub ports: the gateway verifies the hub's certificate; plain clients get nowhere. */
@Timeout(120)
class TlsTest {
    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1, made with openssl (part of the machine image). */
    private static void selfSigned(Path cert, Path key) throws Exception {
        if (new ProcessBuilder("sh", "-c", "command -v openssl").start().waitFor() != 0) {
            final Path script = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
                .resolve("scripts/install-test-tools.sh");
            assertThat(new ProcessBuilder("bash", script.toString()).inheritIO().start().waitFor()).isZero();
        }
        final Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private GatewayConfig gateway(int hubPort, Path trust, String spool) {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = hubPort;
        config.hubTrustFile = trust.toString();
        config.httpPort = 0;
        config.spoolDir = dir.resolve(spool).toString();
        config.devices.get(0).port = 0;
        return config;
    }

    private static String answer(Gateway gateway, String line) throws Exception {
        try (Socket scanner = new Socket(InetAddress.getLoopbackAddress(), gateway.devicePort("tunnel-1"))) {
            scanner.setSoTimeout(20_000);
            scanner.getOutputStream().write(line.getBytes(StandardCharsets.ISO_8859_1));
            scanner.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(scanner.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    @Test
    void theGatewayTalksToTheHubOverVerifiedTls() throws Exception {
        final Path cert = dir.resolve("hub.crt");
        final Path key = dir.resolve("hub.key");
        selfSigned(cert, key);
        final Path otherCert = dir.resolve("other.crt");
        selfSigned(otherCert, dir.resolve("other.key"));
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.tlsCertFile = cert.toString();
        config.tlsKeyFile = key.toString();
        try (HubService hub = HubService.start(config)) {
            // The hub decides (outlet 5 for 518057), so the line crossed TLS; a fallback would say 98.
            try (GatewayService service = GatewayService.start(gateway(hub.scanPort(), cert, "spool1"))) {
                Await.until(Duration.ofSeconds(20), () -> service.gateway().scrape().contains("sorthub_gateway_hub_connected{line=\"line-1\"} 1.0"),
                    () -> "gateway should connect over TLS");
                assertThat(answer(service.gateway(), "P1,SF1,518057,1,1,1,1,0\n")).isEqualTo("P1,5");
            }
            // A gateway that does not trust this certificate never opens a session.
            try (GatewayService service = GatewayService.start(gateway(hub.scanPort(), otherCert, "spool2"))) {
                assertThat(answer(service.gateway(), "P2,SF2,518057,1,1,1,1,0\n")).isEqualTo("P2,98");
                assertThat(service.gateway().scrape()).contains("sorthub_gateway_hub_connected{line=\"line-1\"} 0.0");
            }
            // A plain-TCP client gets no WELCOME.
            assertThatThrownBy(() -> HubClient.connect("127.0.0.1", hub.scanPort(), 9, "plain", "", Duration.ofSeconds(5)).close())
                .isInstanceOf(java.io.IOException.class);
            // HTTPS on the HTTP port, verified against the same certificate.
            final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            final SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            final HttpResponse<String> health = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.httpPort() + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
