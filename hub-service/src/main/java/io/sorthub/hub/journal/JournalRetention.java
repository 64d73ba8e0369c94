package io.sorthub.hub.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Deletes old journal cycle files: those older than the retention age, then the oldest
 * while the journal is over its size budget. Never the current cycle. A cycle a registered
 * reader (pinned by its journal position, e.g. the Kafka exporter) still has to read is kept
 * past its age, but not past the size budget: a reader stalled for days (a broker outage)
 * must not fill the disk and stop sorting, so over the budget its oldest cycles go, loudly,
 * and it resumes from the oldest cycle left. Every cycle holds a checkpoint record in its
 * first batch (first of all when the cycle turned between batches, else right after the batch
 * it turned in), so replay from the oldest cycle left still knows every source's sequence, the
 * outlet states and the plan.
 */
public final class JournalRetention {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    private final Journal journal;
    private final Duration maxAge;
    private final long maxBytes;
    private final LongSupplier nowMs;
    private final Map<String, LongSupplier> pins = new ConcurrentHashMap<>();
    private long deletedFiles;
    private long pinnedDeleted;

    /** @param maxBytes 0 for no size budget */
    public JournalRetention(Journal journal, Duration maxAge, long maxBytes, LongSupplier nowMs) {
        this.journal = journal;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.nowMs = nowMs;
    }

    /** A reader (e.g. an exporter) whose position must not be deleted from under it. */
    public void pin(String reader, LongSupplier journalIndex) {
        pins.put(reader, journalIndex);
    }

    public void unpin(String reader) {
        pins.remove(reader);
    }

    /** Result of one pass: what was deleted and the first journal index still on disk. */
    public record Pass(int deleted, long bytesLeft, long firstIndexLeft) {
    }

    /** One pass; safe to call from any thread (it never touches the current cycle). */
    public Pass run() throws IOException {
        final List<Path> files;
        try (Stream<Path> list = Files.list(journal.directory())) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        if (files.size() <= 1) {
            return new Pass(0, files.isEmpty() ? 0 : Files.size(files.get(0)), 0);
        }
        String oldestPinned = null;
        for (Map.Entry<String, LongSupplier> pin : pins.entrySet()) {
            final long index = pin.getValue().getAsLong();
            if (index > 0) {
                final String file = journal.fileOf(index);
                oldestPinned = oldestPinned == null || file.compareTo(oldestPinned) < 0 ? file : oldestPinned;
            }
        }
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        int deleted = 0;
        final long now = nowMs.getAsLong();
        int first = 0;
        for (int i = 0; i < files.size() - 1; i++) { // the last file is the current cycle
            final Path file = files.get(i);
            final String name = file.getFileName().toString();
            final boolean pinned = oldestPinned != null && name.compareTo(oldestPinned) >= 0;
            final boolean tooOld = now - Files.getLastModifiedTime(file).toMillis() > maxAge.toMillis();
            final boolean overBudget = maxBytes > 0 && total > maxBytes;
            if (!overBudget && (pinned || !tooOld)) {
                break;
            }
            if (pinned) {
                pinnedDeleted++;
                LOG.error("journal retention: over the size budget of {} bytes, deleting {} although a reader ({}) has "
                    + "not read it yet; that reader skips its records", maxBytes, name, pins.keySet());
            }
            final long size = Files.size(file);
            Files.delete(file);
            total -= size;
            deleted++;
            first = i + 1;
            LOG.info("journal retention deleted {} ({} bytes, {})", name, size, tooOld ? "older than " + maxAge : "over the size budget");
        }
        deletedFiles += deleted;
        final String firstLeft = files.get(first).getFileName().toString();
        return new Pass(deleted, total, journal.firstIndexOf(firstLeft));
    }

    /** Cycles deleted over the size budget before a pinned reader had read them. */
    public long pinnedDeleted() {
        return pinnedDeleted;
    }

    public long deletedFiles() {
        return deletedFiles;
    }
}
