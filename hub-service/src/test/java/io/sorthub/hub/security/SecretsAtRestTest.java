package io.sorthub.hub.security;

import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.export.ExportPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secrets and records on disk are the owner's alone, and no secret reaches a log: modes read
 * back from files the hub wrote, logs captured and searched for the secret.
 */
@Timeout(60)
class SecretsAtRestTest {
    private static final String SECRET = "hunter2-line-1-secret";
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Path ownerOnly(String name, String text) throws Exception {
        final Path file = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private HttpResponse<String> put(HubService hub, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
            .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHubsFoldersAndFilesAreTheOwnersAloneAndAnUploadedDevicesFileStaysSo() throws Exception {
        final Path devices = ownerOnly("devices.yaml", "devices:\n  - {sourceId: 100, secret: \"" + SECRET + "\"}\n");
        final Path tokens = ownerOnly("tokens.yaml", "tokens:\n  - {name: admin, role: admin, token: \"a-token\"}\n");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.devicesFile = devices.toString();
        config.apiTokensFile = tokens.toString();
        try (HubService hub = HubService.start(config)) {
            final HttpResponse<String> put = put(hub, "/api/devices", "a-token",
                "devices:\n  - {sourceId: 100, secret: \"" + SECRET + "\"}\n  - {sourceId: 101, secret: \"other\"}\n");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(mode(devices)).isEqualTo("rw-------");
            // A devices file an operator loosened by hand is made owner-only again by the next upload.
            Files.setPosixFilePermissions(devices, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(put(hub, "/api/devices", "a-token", "devices:\n  - {sourceId: 100, secret: \"x\"}\n").statusCode())
                .isEqualTo(200);
            assertThat(mode(devices)).isEqualTo("rw-------");
        }
        final Path data = dir.resolve("hub");
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("journal"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("hub.lock"))).isEqualTo("rw-------");
        // Chronicle's own files take the umask; the folder above keeps others out of every one of them.
        try (Stream<Path> files = Files.list(data.resolve("journal"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".cq4"))).isNotEmpty();
        }
        final ExportPosition position = ExportPosition.open(data.resolve("export"), "kafka");
        position.store(42, 100);
        assertThat(mode(data.resolve("export"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("export/kafka.position"))).isEqualTo("rw-------");
    }

    @Test
    void aSecretsFileOthersMayWriteIsRefusedAndOneOthersMayReadIsWarnedOf() throws Exception {
        final Path devices = ownerOnly("devices.yaml", "devices:\n  - {sourceId: 100, secret: \"" + SECRET + "\"}\n");
        Files.setPosixFilePermissions(devices, PosixFilePermissions.fromString("rw-rw-rw-"));
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.devicesFile = devices.toString();
        assertThatThrownBy(() -> HubService.start(config).close())
            .isInstanceOf(DeviceRegistry.DevicesException.class)
            .hasMessage("devicesFile " + devices + " is rw-rw-rw-: others may write the secrets in it; run chmod 600 " + devices);

        Files.setPosixFilePermissions(devices, PosixFilePermissions.fromString("rw-r--r--"));
        try (CapturedLog log = new CapturedLog(); HubService hub = HubService.start(config)) {
            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("SECRETS EXPOSED: devicesFile " + devices
                + " is rw-r--r--: others may read the secrets in it; run chmod 600"));
            assertThat(hub.scanPort()).isPositive();
        }
    }

    @Test
    void brokenSecretsFilesAreReportedByLineAndKeyNeverWithTheSecret() throws Exception {
        final Path devices = ownerOnly("devices.yaml", "devices:\n  - {sourceId: 100, secret: \"" + SECRET + "\"}\n");
        final Path tokens = ownerOnly("tokens.yaml", "tokens:\n  - {name: ops, role: operator, token: \"" + SECRET
            + "\"\n  - {name: x, role: admin, token: y}\n");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.devicesFile = devices.toString();
        config.apiTokensFile = tokens.toString();
        try (CapturedLog log = new CapturedLog()) {
            assertThatThrownBy(() -> HubService.start(config).close())
                .isInstanceOf(DeviceRegistry.DevicesException.class)
                .hasMessageStartingWith(tokens + ": not valid YAML at line ")
                .hasMessageNotContaining(SECRET);
            config.apiTokensFile = null;
            try (HubService hub = HubService.start(config)) {
                // An edit that breaks the YAML right after the secret, then one that puts a secret where a digest goes.
                Files.writeString(devices, "devices:\n  - {sourceId: 100, secret: \"" + SECRET + "\n  - {sourceId: 101}\n");
                Await.until(Duration.ofSeconds(20), () -> {
                    hubAllows(hub);
                    return log.lines().stream().anyMatch(l -> l.contains("not reloaded"));
                }, () -> "the broken devices file should be refused: " + log.lines());
                Files.writeString(devices, "devices:\n  - {sourceId: 100, secretSha256: \"" + SECRET + "\"}\n");
                Await.until(Duration.ofSeconds(20), () -> {
                    hubAllows(hub);
                    return log.lines().stream().filter(l -> l.contains("not reloaded")).count() == 2;
                }, () -> "the second broken devices file should be refused: " + log.lines());
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("not reloaded")).hasSize(2)
                .anyMatch(l -> l.contains("not valid YAML at line "))
                .anyMatch(l -> l.contains("devices[0] (source 100): secretSha256 is not 64 hex digits"));
            assertThat(String.join("\n", log.lines())).doesNotContain(SECRET).doesNotContain("hunter2");
        }
    }

    /** A HELLO makes the hub look at its devices file. */
    private static void hubAllows(HubService hub) {
        try (var client = io.sorthub.protocol.client.HubClient.connect("127.0.0.1", hub.scanPort(), 100, "line",
            "wrong", Duration.ofSeconds(5))) {
            assertThat(client).isNotNull();
        } catch (java.io.IOException e) {
            // refused: expected with a wrong credential
        }
    }
}
