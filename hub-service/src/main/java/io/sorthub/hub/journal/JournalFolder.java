package io.sorthub.hub.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The hub's data folder, held: its lock first (one hub per data folder, DESIGN invariant 4),
 * then the journal under it opened for writing. Closing closes the journal, then lets the
 * folder go.
 */
public final class JournalFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalFolder.class);

    private final DataFolderLock lock;
    private final Journal journal;

    public JournalFolder(Path dataDir, String rollCycle, Durability durability)
        throws IOException, DataFolderLock.InUseException {
        this.lock = DataFolderLock.acquire(dataDir);
        try {
            this.journal = Journal.openForWriting(dataDir.resolve("journal"), rollCycle, SystemTimeProvider.INSTANCE,
                LOG::error);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        if (durability == Durability.PAGECACHE) {
            LOG.warn("durability pagecache: an ACK means the event is in the operating system's page cache; "
                + "it survives a crash of this process but NOT a power cut or kernel crash (use durability: sync at a hub)");
        }
        LOG.info("durability {}: {}", durability.label(), durability == Durability.SYNC
            ? "every batch is forced to disk before its ACKs" : "ACK once in the page cache");
    }

    public Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        journal.close();
        lock.close();
    }
}
