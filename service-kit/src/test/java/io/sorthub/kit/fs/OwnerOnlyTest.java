package io.sorthub.kit.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Folders and files made owner-only, read back from the file system; secrets files judged by their mode. */
class OwnerOnlyTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void newFoldersAndReplacedFilesAreTheOwnersAlone() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path deep = dir.resolve("data/journal");
        OwnerOnly.createDirectories(deep);
        assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(deep)).isEqualTo("rwx------");
        assertThat(mode(dir)).as("an existing folder is left alone").isEqualTo("rwxr-xr-x");

        final Path secrets = dir.resolve("devices.yaml");
        Files.writeString(secrets, "old");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("devices.yaml.next"), "left over");
        Files.setPosixFilePermissions(dir.resolve("devices.yaml.next"), PosixFilePermissions.fromString("rw-rw-rw-"));
        OwnerOnly.replace(secrets, "new".getBytes());
        assertThat(Files.readString(secrets)).isEqualTo("new");
        assertThat(mode(secrets)).isEqualTo("rw-------");
        assertThat(OwnerOnly.openToOthers(secrets)).isNull();
    }

    @Test
    void secretsFilesOthersMayReadAreWarnedOfAndThoseOthersMayWriteAreRefused() throws Exception {
        final Path tokens = Files.writeString(dir.resolve("tokens.yaml"), "tokens: []");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretFile.check("apiTokensFile", tokens)).isNull();
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r-----"));
        final SecretFile.Problem readable = SecretFile.check("apiTokensFile", tokens);
        assertThat(readable.refuse()).isFalse();
        assertThat(readable.message()).isEqualTo("apiTokensFile " + tokens + " is rw-r-----: others may read the secrets "
            + "in it; run chmod 600 " + tokens);
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(SecretFile.check("apiTokensFile", tokens).refuse()).isTrue();
    }
}
