package io.sorthub.gateway;

import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.test.TestCerts;
import io.sorthub.hub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as an attacker or a careless operator meets it: exposure said at start, TLS
 * failures named by cause, an idle HTTP client closed, the spool owner-only.
 */
@Timeout(120)
class GatewayHardeningTest {
    @TempDir
    Path dir;

    private GatewayConfig gateway(int hubPort, String spool) {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = hubPort;
        config.httpPort = 0;
        config.spoolDir = dir.resolve(spool).toString();
        config.devices.get(0).port = 0;
        return config;
    }

    @Test
    void exposureBeyondLoopbackIsSaidAtStart() {
        final GatewayConfig safe = new GatewayConfig();
        safe.credential = "s3cret";
        assertThat(GatewayExposure.warnings(safe)).as("all on loopback").isEmpty();
        final GatewayConfig open = new GatewayConfig();
        open.devices.get(0).host = "0.0.0.0";
        open.httpHost = "0.0.0.0";
        open.hubHost = "10.1.2.3"; // never dialled: warnings are worked out from the settings
        open.credential = "s3cret";
        assertThat(GatewayExposure.warnings(open)).containsExactly(
            "device tunnel-1 listens on 0.0.0.0:7600 without authentication: anything that reaches it can inject reads; "
                + "keep it on the sorter network, behind a firewall that admits the scanners only",
            "/metrics and /health on 0.0.0.0:7680 have no authentication: keep httpHost on 127.0.0.1 unless a scraper "
                + "elsewhere needs them, and firewall it to that scraper",
            "PLAIN TEXT hub link: the credential for source 100 crosses the network unencrypted to 10.1.2.3:7400 and the "
                + "hub is not verified; set hubTrustFile (the hub then needs tlsCertFile and tlsKeyFile)");
        open.hubTrustFile = "hub-ca.pem";
        assertThat(GatewayExposure.warnings(open)).hasSize(2).noneMatch(w -> w.contains("PLAIN TEXT"));
    }

    @Test
    void theHttpHostIsAFlagAndAConfigHoldingTheCredentialMustBeTheOwnersAlone() throws Exception {
        final Path file = Files.writeString(dir.resolve("gateway.yaml"), "credential: \"gw-s3cret\"\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(run("run", "--config", file.toString(), "--http-host", "127.0.0.3").httpHost).isEqualTo("127.0.0.3");
        assertThat(run("run").httpHost).isEqualTo("127.0.0.1");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("run", "--config", file.toString()))
            .isInstanceOf(GatewayConfig.ConfigException.class)
            .hasMessage("config " + file + " is rw-rw-rw-: others may write the credential in it; run chmod 600 " + file);
    }

    private static GatewayConfig run(String... args) throws Exception {
        final picocli.CommandLine.ParseResult parsed = GatewayMain.commandLine().parseArgs(args);
        final RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        run.environment = new java.util.HashMap<>();
        return run.config();
    }

    @Test
    void tlsFailuresWithTheHubAreNamedByTheirCause() throws Exception {
        final Path cert = dir.resolve("hub.crt");
        final Path key = dir.resolve("hub.key");
        TestCerts.selfSigned(cert, key, "hub");
        final Path other = dir.resolve("other.crt");
        TestCerts.selfSigned(other, dir.resolve("other.key"), "other");
        final HubConfig tlsHub = TestHub.config(dir.resolve("hub"));
        tlsHub.host = "127.0.0.2"; // loopback, but not an address the certificate names
        tlsHub.tlsCertFile = cert.toString();
        tlsHub.tlsKeyFile = key.toString();
        try (HubService hub = HubService.start(tlsHub)) {
            final GatewayConfig untrusting = gateway(hub.scanPort(), "spool1");
            untrusting.hubTrustFile = other.toString();
            untrusting.hubHost = "127.0.0.2";
            assertThat(firstHubLinkWarning(untrusting)).isEqualTo("TLS with hub 127.0.0.2:" + hub.scanPort()
                + " failed: untrusted certificate: it does not chain to a certificate in hubTrustFile " + other
                + "; retrying with back-off, reads are spooled meanwhile");
            final GatewayConfig byName = gateway(hub.scanPort(), "spool2");
            byName.hubHost = "127.0.0.2";
            byName.hubTrustFile = cert.toString();
            assertThat(firstHubLinkWarning(byName)).startsWith("TLS with hub 127.0.0.2:" + hub.scanPort()
                + " failed: host name mismatch: the certificate does not name the address dialled (");
        }
        try (HubService plain = HubService.start(TestHub.config(dir.resolve("plain")))) {
            final GatewayConfig toPlain = gateway(plain.scanPort(), "spool3");
            toPlain.hubTrustFile = cert.toString();
            assertThat(firstHubLinkWarning(toPlain)).startsWith("TLS with hub 127.0.0.1:" + plain.scanPort()
                + " failed: no TLS on the other side (a plain-text port?)");
        }
    }

    /** What the hub link says first when it cannot open a session. */
    private static String firstHubLinkWarning(GatewayConfig config) throws Exception {
        try (CapturedLog lines = CapturedLog.loggerOf(io.sorthub.gateway.forward.HubLink.class);
             GatewayService service = GatewayService.start(config)) {
            Await.until(Duration.ofSeconds(30), () -> !lines.messages().isEmpty(), () -> "the hub link said nothing");
            assertThat(service.gateway().status().hubConnected()).isFalse();
            return lines.messages().get(0);
        }
    }

    @Test
    void anIdleHttpClientIsClosedAndTheSpoolIsTheOwnersAlone() throws Exception {
        final GatewayConfig config = gateway(1, "data/spool"); // no hub: the gateway spools
        config.httpHeaderTimeoutMs = 300;
        try (GatewayService service = GatewayService.start(config); Socket idle = new Socket("127.0.0.1", service.httpPort())) {
            idle.setSoTimeout(50);
            final long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                try {
                    if (idle.getInputStream().read() < 0) {
                        break;
                    }
                } catch (SocketTimeoutException e) {
                    // open still
                } catch (IOException e) {
                    break;
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 10_000L);
            assertThat(service.gateway().scrape()).contains("sorthub_gateway_http_timeouts_total{kind=\"header\",line=\"line-1\"} 1.0");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/spool")))).isEqualTo("rwx------");
    }
}
