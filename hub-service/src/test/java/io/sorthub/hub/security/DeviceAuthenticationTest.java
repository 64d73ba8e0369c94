package io.sorthub.hub.security;

import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.client.HubClient;
import io.sorthub.protocol.client.HubClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sources authenticate in HELLO against the devices file; rotation needs no restart. */
@Timeout(60)
class DeviceAuthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private HubClient connect(HubService hub, int source, String credential) throws Exception {
        return HubClient.connect("127.0.0.1", hub.scanPort(), source, "s" + source, credential, WAIT);
    }

    /** Poll, a few times a second (under the HELLO rate limit), until the credential is accepted (or refused). */
    private void awaitHello(HubService hub, int source, String credential, boolean accepted) {
        Await.until(WAIT, () -> {
            boolean ok;
            try (HubClient client = connect(hub, source, credential)) {
                ok = true;
            } catch (Exception e) {
                ok = false;
            }
            if (ok != accepted) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
            return ok == accepted;
        }, () -> "source " + source + " with '" + credential + "' should be " + (accepted ? "accepted" : "refused"));
    }

    @Test
    void onlyListedSourcesWithTheirSecretGetASession() throws Exception {
        final Path devices = dir.resolve("devices.yaml");
        final String digest = HexFormat.of().formatHex(DeviceRegistry.sha256("hashed-secret".getBytes()));
        Files.writeString(devices, "devices:\n  - {sourceId: 1, name: line-1, secret: \"first\"}\n"
            + "  - {sourceId: 2, name: line-2, secretSha256: \"" + digest + "\"}\n");
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.devicesFile = devices.toString();
        try (HubService hub = HubService.start(config)) {
            try (HubClient ok = connect(hub, 1, "first")) {
                assertThat(ok.resumeSequence()).isZero();
            }
            try (HubClient ok = connect(hub, 2, "hashed-secret")) {
                assertThat(ok.resumeSequence()).isZero();
            }
            assertThatThrownBy(() -> connect(hub, 1, "wrong")).isInstanceOf(HubClientException.class)
                .satisfies(e -> assertThat(((HubClientException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("source 1");
            assertThatThrownBy(() -> connect(hub, 3, "first")).isInstanceOf(HubClientException.class)
                .hasMessageContaining("not in the hub's devices file");

            // Rotation: add a new secret, then remove the old one, without a restart. The hub
            // re-reads the file off its event loops every few seconds: wait for each edit.
            Files.writeString(devices, "devices:\n  - {sourceId: 1, secret: [\"first\", \"second\"]}\n");
            Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 1_000));
            awaitHello(hub, 1, "second", true);
            connect(hub, 1, "first").close();
            Files.writeString(devices, "devices:\n  - {sourceId: 1, secret: \"second\"}\n");
            Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
            awaitHello(hub, 1, "first", false);
            assertThatThrownBy(() -> connect(hub, 1, "first")).isInstanceOf(HubClientException.class);
            connect(hub, 1, "second").close();

            // A broken edit is refused; the devices in force stay.
            try (CapturedLog log = new CapturedLog()) {
                Files.writeString(devices, "devices: [{sourceId: x}]\n");
                Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 3_000));
                Await.until(WAIT, () -> log.lines().stream().anyMatch(l -> l.contains("not reloaded")),
                    () -> "the broken devices file should be refused: " + log.lines());
            }
            connect(hub, 1, "second").close();
        }
        // Nothing from the refused connections reached the journal.
        assertThat(TestHub.readJournal(dir.resolve("hub"))).isEmpty();
    }

    @Test
    void scansSentWithAWrongCredentialAreNeverJournaled() throws Exception {
        final Path devices = dir.resolve("devices.yaml");
        Files.writeString(devices, "devices:\n  - {sourceId: 1, secret: \"right\"}\n");
        final HubConfig config = TestHub.config(dir.resolve("hub2"));
        config.devicesFile = devices.toString();
        try (HubService hub = HubService.start(config);
             java.net.Socket socket = new java.net.Socket("127.0.0.1", hub.scanPort())) {
            final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[512]);
            int n = new io.sorthub.protocol.HelloFlyweight().wrapForEncode(b, 0).sourceId(1).strings("x", "wrong").frameLength();
            n += new io.sorthub.protocol.ScanFlyweight().wrapForEncode(b, n).sequence(1).kind(EventKind.SORT_REQUEST)
                .strings("T", "SF1", "518", "").frameLength();
            socket.getOutputStream().write(b.byteArray(), 0, n); // HELLO and a SCAN in one write
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().readAllBytes()).as("ERROR, then closed").isNotEmpty();
        }
        assertThat(TestHub.readJournal(dir.resolve("hub2"))).isEmpty();
    }

    @Test
    void badDevicesFilesAreNamed() {
        assertThatThrownBy(() -> DeviceRegistry.parse("devices: [{sourceId: 0, secret: a}]", "d.yaml"))
            .hasMessageContaining("d.yaml: devices[0]: sourceId must be");
        assertThatThrownBy(() -> DeviceRegistry.parse("devices: [{sourceId: 4}]", "d.yaml"))
            .hasMessageContaining("(source 4): give secret or secretSha256");
        assertThatThrownBy(() -> DeviceRegistry.parse("devices: [{sourceId: 4, secretSha256: zz}]", "d.yaml"))
            .hasMessageContaining("is not 64 hex digits");
        assertThatThrownBy(() -> DeviceRegistry.parse("devices: [{sourceId: 4, secret: a}, {sourceId: 4, secret: b}]", "d.yaml"))
            .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> DeviceRegistry.parse("nothing: here", "d.yaml")).hasMessageContaining("expected a 'devices' list");
        assertThatThrownBy(() -> DeviceRegistry.parse("devices: [", "d.yaml")).hasMessageContaining("not valid YAML at line");
    }
}
