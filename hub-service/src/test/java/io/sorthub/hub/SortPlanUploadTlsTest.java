package io.sorthub.hub;

import io.sorthub.test.StandardStreams;
import io.sorthub.test.TestCerts;
import io.sorthub.hub.cli.HubMain;
import io.sorthub.kit.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sort-plan upload --cacert} to a hub whose HTTPS certificate no system CA signed; TLS failures say why. */
@Timeout(120)
class SortPlanUploadTlsTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StandardStreams.capture(new ByteArrayOutputStream(), err, () -> {
            final CommandLine cl = HubMain.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            return cl.execute(args);
        });
    }

    private String lastErrorLine() {
        final var lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        err.reset();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void aPlanIsUploadedToAHubTrustedThroughCacertAndRefusedWithTheReasonOtherwise() throws Exception {
        final Path cert = dir.resolve("hub.crt");
        TestCerts.selfSigned(cert, dir.resolve("hub.key"), "hub");
        final Path other = dir.resolve("other.crt");
        TestCerts.selfSigned(other, dir.resolve("other.key"), "other");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.tlsCertFile = cert.toString();
        config.tlsKeyFile = dir.resolve("hub.key").toString();
        final Path plan = Files.writeString(dir.resolve("plan.yaml"), HubService.demoPlanText().replace("name: demo", "name: demo-tls"));
        try (HubService hub = HubService.start(config)) {
            final String url = "https://127.0.0.1:" + hub.httpPort();
            assertThat(run("sort-plan", "upload", plan.toString(), "--url", url, "--cacert", cert.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.OK);
            assertThat(hub.plans().current().name()).isEqualTo("demo-tls");

            assertThat(run("sort-plan", "upload", plan.toString(), "--url", url)).isEqualTo(ExitCodes.REFUSED);
            assertThat(lastErrorLine()).endsWith("cannot reach " + url + ": untrusted certificate: it does not chain to a "
                + "certificate in the system's trusted certificates (give the hub's with --cacert)");
            assertThat(run("sort-plan", "upload", plan.toString(), "--url", url, "--cacert", other.toString()))
                .isEqualTo(ExitCodes.REFUSED);
            assertThat(lastErrorLine()).endsWith("untrusted certificate: it does not chain to a certificate in --cacert " + other);
            assertThat(run("sort-plan", "upload", plan.toString(), "--url", url, "--cacert", plan.toString()))
                .isEqualTo(ExitCodes.USAGE);
            assertThat(lastErrorLine()).contains("--cacert " + plan + ": ");
        }
    }
}
