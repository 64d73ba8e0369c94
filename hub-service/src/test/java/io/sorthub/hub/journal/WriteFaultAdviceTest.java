package io.sorthub.hub.journal;

import io.sorthub.kit.chronicle.WriteFaultAdvice;
import io.sorthub.test.Mappings;
import io.sorthub.test.Mappings.Mapping;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
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
 * The journal's mapping, as the writer leaves it: the chunk it writes into, and nothing else,
 * carries the kernel's random-access advice ({@code rr} in /proc/self/smaps), so a fault on a
 * page not yet in the page cache brings in that page, not megabytes of zeroed holes around it.
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
            assertThat(Mappings.ofFiles(dir, ".cq4")).as("the mappings of the journal's cycle file").isNotEmpty()
                .anyMatch(m -> m.has("rr"));
            writer.close();
        }
    }

    @Test
    void eachChunkTheAppenderMovesIntoIsAdvisedAloneAndTheOneItLeavesGetsTheDefaultBack() throws Exception {
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE)) {
            final WriteFaultAdvice advice = new WriteFaultAdvice();
            final byte[] record = new byte[64 * 1024];
            final ReferenceOwner owner = ReferenceOwner.temporary("chunk kept for the test");
            BytesStore<?, ?> lastStore = null;
            MappedBytesStore previous = null;
            int chunksSeen = 0;
            try (ExcerptAppender appender = journal.queue().createAppender()) {
                // Write until the appender has moved into a third chunk of its mapping (64 MiB each).
                for (int i = 0; i < 5_000 && chunksSeen < 3; i++) {
                    try (DocumentContext dc = appender.writingDocument()) {
                        final Bytes<?> bytes = dc.wire().bytes();
                        if (bytes.bytesStore() == lastStore) {
                            advice.follow(bytes); // the same chunk: no call
                        } else {
                            final MappedBytesStore chunk = (MappedBytesStore) bytes.bytesStore();
                            final List<Mapping> before = advisedRandom();
                            advice.follow(bytes);
                            chunksSeen++;
                            final long base = chunk.addressForRead(chunk.start());
                            final long end = base + chunk.realCapacity() - chunk.start();
                            final List<Mapping> gained = advisedRandom();
                            gained.removeAll(before);
                            assertThat(gained).as("mappings newly advised for chunk at file offset " + chunk.start())
                                .isNotEmpty().allMatch(m -> m.start() >= base && m.end() <= end);
                            assertThat(Mappings.of(base).flags()).contains("rr");
                            if (previous != null && previous.refCount() > 0) {
                                final Mapping left = Mappings.of(previous.addressForRead(previous.start()));
                                assertThat(left == null || !left.has("rr")).as("the chunk left behind has the default advice").isTrue();
                            }
                            if (previous != null) {
                                previous.release(owner);
                            }
                            chunk.reserve(owner); // kept mapped to look at it after the move
                            previous = chunk;
                            lastStore = chunk;
                        }
                        bytes.write(record);
                    }
                }
            }
            if (previous != null) {
                previous.release(owner);
            }
            assertThat(chunksSeen).as("chunks written into").isEqualTo(3);
            assertThat(advice.chunksAdvised()).isEqualTo(3);
            assertThat(advice.refused()).isZero();
        }
    }

    private static List<Mapping> advisedRandom() throws Exception {
        final List<Mapping> all = new ArrayList<>(Mappings.all());
        all.removeIf(m -> !m.has("rr"));
        return all;
    }
}
