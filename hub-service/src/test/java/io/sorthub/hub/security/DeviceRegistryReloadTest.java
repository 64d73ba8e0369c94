package io.sorthub.hub.security;

import io.sorthub.kit.fs.OwnerOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/** A HELLO reads the devices in force and never the file: only a reload (on a worker) puts an edit in force. */
class DeviceRegistryReloadTest {
    @TempDir
    Path dir;

    @Test
    void anEditIsInForceAfterTheReloadNotAtTheNextHello() throws Exception {
        final Path file = dir.resolve("devices.yaml");
        OwnerOnly.replace(file, "devices:\n  - {sourceId: 1, secret: \"old\"}\n".getBytes(StandardCharsets.UTF_8));
        final DeviceRegistry registry = DeviceRegistry.load(file);
        assertThat(registry.allows(1, "old")).isTrue();

        OwnerOnly.replace(file, "devices:\n  - {sourceId: 1, secret: \"new\"}\n".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 1_000));
        assertThat(registry.allows(1, "new")).as("the event loop does not look at the file").isFalse();
        assertThat(registry.summary()).containsEntry(1, 1);

        registry.reloadIfChanged();
        assertThat(registry.allows(1, "new")).isTrue();
        assertThat(registry.allows(1, "old")).isFalse();

        OwnerOnly.replace(file, "devices: [{sourceId: x}]\n".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        registry.reloadIfChanged();
        assertThat(registry.allows(1, "new")).as("a broken edit leaves the devices in force").isTrue();
    }
}
