package io.sorthub.kit.fs;

import io.sorthub.test.CapturedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** On a real directory: full and free again each said once; a directory that cannot be read as its caller chose. */
class DiskGuardTest {
    private static final DiskGuard.Words WORDS = new DiskGuard.Words("journal", "new events are NOT accepted",
        "accepting events");
    private final CapturedLog lines = CapturedLog.ownLogger();
    private final org.slf4j.Logger logger = lines.logger();

    @TempDir
    Path root;

    @AfterEach
    void release() {
        lines.close();
    }

    private List<String> messages() {
        return lines.messages();
    }

    private DiskGuard guard(Path directory, DiskGuard.WhenUnreadable policy) {
        return new DiskGuard(directory, 0, policy, logger, WORDS);
    }

    @Test
    void belowTheMinimumItBlocksAndSaysSoOncePerChange() {
        final DiskGuard disk = guard(root, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT);
        disk.check();
        assertThat(disk.blocked()).isFalse();
        assertThat(disk.freeBytes()).isPositive().isLessThan(Long.MAX_VALUE);
        disk.minFreeBytes(Long.MAX_VALUE);
        disk.check();
        disk.check();
        assertThat(disk.blocked()).isTrue();
        disk.minFreeBytes(0);
        disk.check();
        assertThat(disk.blocked()).isFalse();
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(0)).startsWith("JOURNAL DISK NEARLY FULL: ").contains(" bytes free on " + root)
            .endsWith("(minimum " + Long.MAX_VALUE + "): new events are NOT accepted until space is freed");
        assertThat(messages().get(1)).startsWith("journal disk has ").endsWith(" bytes free again: accepting events");
    }

    @Test
    void keepingTheLastVerdictAFailedLookChangesNothingAndIsSaidOnce() throws Exception {
        final Path gone = Files.createDirectory(root.resolve("journal"));
        final DiskGuard disk = guard(gone, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT);
        disk.minFreeBytes(Long.MAX_VALUE);
        disk.check();
        assertThat(disk.blocked()).isTrue();
        final long free = disk.freeBytes();
        Files.delete(gone);
        disk.minFreeBytes(0); // would free it, were the disk readable
        disk.check();
        disk.check();
        assertThat(disk.blocked()).as("still the last verdict").isTrue();
        assertThat(disk.freeBytes()).isEqualTo(free);
        Files.createDirectory(gone);
        disk.check();
        assertThat(disk.blocked()).isFalse();
        assertThat(messages()).hasSize(4);
        assertThat(messages().get(1)).startsWith("cannot read free space of " + gone + ": java.nio.file.NoSuchFileException")
            .endsWith(": keeping the last verdict (refusing)");
        assertThat(messages().get(2)).startsWith("free space of " + gone + " can be read again: ");
        assertThat(messages().get(3)).endsWith("bytes free again: accepting events");
    }

    @Test
    void refusingAFailedLookBlocksUntilTheDiskCanBeReadAgain() throws Exception {
        final Path gone = Files.createDirectory(root.resolve("journal"));
        final DiskGuard disk = guard(gone, DiskGuard.WhenUnreadable.REFUSE);
        disk.check();
        assertThat(disk.blocked()).isFalse();
        Files.delete(gone);
        disk.check();
        assertThat(disk.blocked()).isTrue();
        assertThat(messages()).singleElement().asString()
            .endsWith(": new events are NOT accepted until it can be read");
        Files.createDirectory(gone);
        disk.check();
        assertThat(disk.blocked()).isFalse();
    }

    @Test
    void aFailedWriterBlocksForGood() {
        final DiskGuard disk = guard(root, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT);
        disk.fail();
        disk.check();
        assertThat(disk.blocked()).isTrue();
    }
}
