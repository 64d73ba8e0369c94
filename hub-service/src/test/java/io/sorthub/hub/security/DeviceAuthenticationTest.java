package io.sorthub.hub.security;

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

            // Rotation: add a new secret, then remove the old one, without a restart.
            Files.writeString(devices, "devices:\n  - {sourceId: 1, secret: [\"first\", \"second\"]}\n");
            Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 1_000));
            connect(hub, 1, "second").close();
            connect(hub, 1, "first").close();
            Files.writeString(devices, "devices:\n  - {sourceId: 1, secret: \"second\"}\n");
            Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
            assertThatThrownBy(() -> connect(hub, 1, "first")).isInstanceOf(HubClientException.class);
            connect(hub, 1, "second").close();

            // A broken edit is refused; the devices in force stay.
            Files.writeString(devices, "devices: [{sourceId: x}]\n");
            Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 3_000));
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
