package io.sorthub.hub.journal;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.export.ExportPosition;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.kit.fs.DiskGuard;
import io.vertx.core.Vertx;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The journal's disk over time: the free-space check every second (the hub stops accepting
 * near a full disk) and retention every {@code retentionCheckSeconds}, both on Vert.x workers
 * because they touch the file system. Retention deletes old cycles, then has the writer forget
 * the parcels that pointed into them.
 */
public final class JournalHousekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHousekeeping.class);

    private final DiskGuard disk;
    private final JournalRetention retention;
    private final JournalProxy writer;

    /** Checks the disk once before it returns; {@code exportDir} holds exporters' position files, which pin cycles. */
    public JournalHousekeeping(HubConfig config, Journal journal, Path exportDir, JournalProxy writer, HubMetrics metrics,
                               Vertx vertx, EpochClock clock) {
        this.writer = writer;
        // A failed look keeps the last verdict: refusing would stop a hub for good where the JDK
        // cannot read a mount's free space, and a journal that really cannot be written fails its writer.
        this.disk = new DiskGuard(journal.directory(), config.minFreeDiskBytes, DiskGuard.WhenUnreadable.KEEP_LAST_VERDICT,
            LoggerFactory.getLogger("io.sorthub.hub.journal.DiskGuard"),
            new DiskGuard.Words("journal", "new events are NOT accepted", "accepting events"));
        disk.check();
        metrics.gauge("sorthub_journal_disk_free_bytes", "Usable space on the journal's disk", disk::freeBytes);
        metrics.gauge("sorthub_journal_accepting", "1 while the hub accepts events, 0 while the journal disk is nearly full",
            () -> disk.blocked() ? 0 : 1);
        vertx.setPeriodic(1_000, id -> vertx.executeBlocking(() -> {
            disk.check();
            return null;
        }, false));
        this.retention = new JournalRetention(journal, Duration.ofHours(config.retentionHours), config.retentionMaxBytes,
            clock::time);
        // Exporters in processes of their own (hub-service export-kafka) pin through their position files.
        retention.pin("export-position-files", () -> ExportPosition.oldestNeeded(exportDir, journal.queue().firstIndex()));
        metrics.counter("sorthub_journal_files_deleted", "Journal cycle files deleted by retention", retention::deletedFiles);
        metrics.counter("sorthub_journal_unread_files_deleted",
            "Journal cycle files deleted over the size budget before a reader (the exporter) had read them",
            retention::pinnedDeleted);
        vertx.setPeriodic(config.retentionCheckSeconds * 1_000L, id -> vertx.executeBlocking(this::runRetention, false));
    }

    /** Delete old cycles, then drop parcel-index entries that pointed into them (on the writer thread). */
    public JournalRetention.Pass runRetention() throws Exception {
        final JournalRetention.Pass pass = retention.run();
        if (pass.deleted() > 0) {
            // Forgotten at once; their slots are given back over the writer's next updates.
            writer.withParcels(p -> {
                p.forgetBefore(pass.firstIndexLeft());
                return null;
            }).get(30, TimeUnit.SECONDS);
            LOG.info("journal retention: {} files deleted, {} bytes left; parcels recorded only in them forgotten",
                pass.deleted(), pass.bytesLeft());
        }
        return pass;
    }

    public DiskGuard disk() {
        return disk;
    }

    /** Where exporters in this process pin the cycles they have not read. */
    public JournalRetention retention() {
        return retention;
    }
}
