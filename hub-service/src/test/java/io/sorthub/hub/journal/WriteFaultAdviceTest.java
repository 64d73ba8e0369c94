package io.sorthub.hub.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import io.sorthub.kit.chronicle.WriteFaultAdvice;
import io.sorthub.test.Mappings;
import io.sorthub.test.Mappings.Mapping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's mapping, as the writer leaves it: each chunk it writes into carries the
 * kernel's random-access advice ({@code rr} in /proc/self/smaps), so a fault on a page not yet
 * in the page cache brings in that page, not megabytes of zeroed holes around it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteFaultAdviceTest {
    @TempDir
    Path dir;

    @BeforeEach
    void linuxOnly() {
        assumeTrue(Mappings.available(), "Linux only");
    }

    @Test
    void theCycleFileTheWriterAppendsToIsMappedForRandomAccess() throws Exception {
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE)) {
            final ChronicleJournalWriter writer = new ChronicleJournalWriter(journal, Durability.PAGECACHE);
            writer.append(new byte[119]);
            assertThat(writer.chunksAdvised()).isEqualTo(1);
            assertThat(cycleFileMappings()).as("the mappings of the journal's cycle file").isNotEmpty()
                .anyMatch(m -> m.has("rr"));
            writer.close();
        }
    }

    @Test
    void everyChunkTheAppenderMovesIntoIsAdvisedOnce() throws Exception {
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE)) {
            final WriteFaultAdvice advice = new WriteFaultAdvice();
            final byte[] record = new byte[64 * 1024];
            long lastChunkStart = -1;
            int chunksSeen = 0;
            try (ExcerptAppender appender = journal.queue().createAppender()) {
                // Write until the appender has moved into a third chunk of its mapping.
                for (int i = 0; i < 20_000 && chunksSeen < 3; i++) {
                    try (DocumentContext dc = appender.writingDocument()) {
                        final Bytes<?> bytes = dc.wire().bytes();
                        advice.follow(bytes);
                        advice.follow(bytes); // the same chunk again: no second call
                        bytes.write(record);
                        final MappedBytesStore chunk = (MappedBytesStore) bytes.bytesStore();
                        if (chunk.start() != lastChunkStart) {
                            lastChunkStart = chunk.start();
                            chunksSeen++;
                            final Mapping mapping = Mappings.of(chunk.addressForRead(chunk.start()));
                            assertThat(mapping).as("the chunk's mapping").isNotNull();
                            assertThat(mapping.flags()).as("chunk at file offset " + chunk.start()).contains("rr");
                        }
                    }
                }
            }
            assertThat(chunksSeen).as("chunks written into").isEqualTo(3);
            assertThat(advice.chunksAdvised()).isEqualTo(3);
            assertThat(advice.refused()).isZero();
        }
    }

    /** The mappings of this folder's cycle files (*.cq4). */
    private List<Mapping> cycleFileMappings() throws Exception {
        final String folder = dir.toRealPath().toString();
        final List<Mapping> found = new ArrayList<>();
        for (Mapping m : Mappings.all()) {
            if (m.path().startsWith(folder) && m.path().endsWith(".cq4")) {
                found.add(m);
            }
        }
        return found;
    }
}
