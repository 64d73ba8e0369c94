package io.sorthub.hub.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

class ApiTokensReloadTest {
    @TempDir
    Path dir;

    @Test
    void aChangedFileIsInForceAfterAReloadAndABrokenEditKeepsTheTokensInForce() throws Exception {
        final Path file = dir.resolve("tokens.yaml");
        write(file, "tokens:\n  - {name: grafana, role: viewer, token: \"old-token\"}\n");
        final ApiTokens tokens = ApiTokens.load(file);
        assertThat(tokens.caller("Bearer old-token")).isNotNull();

        write(file, "tokens:\n  - {name: grafana, role: viewer, token: \"new-token\"}\n");
        assertThat(tokens.caller("Bearer old-token")).as("read on the worker's check, not by a request").isNotNull();
        tokens.reloadIfChanged();
        assertThat(tokens.caller("Bearer new-token")).isEqualTo(new ApiTokens.Caller("grafana", ApiTokens.Role.VIEWER));
        assertThat(tokens.caller("Bearer old-token")).isNull();

        write(file, "tokens:\n  - {name: grafana, role: viewer, tokn: \"x\"}\n");
        tokens.reloadIfChanged();
        assertThat(tokens.caller("Bearer new-token")).as("a broken edit leaves the tokens in force").isNotNull();
    }

    private static void write(Path file, String text) throws Exception {
        final Path next = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(next, text);
        Files.setPosixFilePermissions(next, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
