package io.sorthub.hub.ingest;

import io.sorthub.kit.fs.DiskGuard;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** Disk guards for session tests that are not about the disk. */
final class Disks {
    private Disks() {
    }

    /** Never checked, so never blocked. */
    static DiskGuard unchecked() {
        return new DiskGuard(Path.of("."), 0, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT,
            LoggerFactory.getLogger(Disks.class), new DiskGuard.Words("test", "refused", "accepting"));
    }
}
