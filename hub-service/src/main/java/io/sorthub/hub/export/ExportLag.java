package io.sorthub.hub.export;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.RecordFlyweight;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * How far the exporter is behind the journal: records after the acknowledged one, and the
 * hub receive time of the first scan among them. Measured once a second on the exporter's
 * thread with a tailer of its own; read by the metrics from any thread.
 */
final class ExportLag implements AutoCloseable {
    private final Journal journal;
    private final ExcerptTailer tailer;
    private volatile long events;
    private volatile long oldestUnackedNs;

    ExportLag(Journal journal) {
        this.journal = journal;
        this.tailer = journal.queue().createTailer();
    }

    void measure(long acknowledgedIndex) {
        final long last = journal.queue().lastIndex();
        final long from = acknowledgedIndex == 0 ? journal.queue().firstIndex() : acknowledgedIndex + 1;
        final long behind = last < 0 || last < from ? 0 : ((SingleChronicleQueue) journal.queue()).countExcerpts(from, last + 1);
        long oldest = 0;
        if (behind > 0) {
            KafkaExportAgent.after(tailer, acknowledgedIndex);
            for (int i = 0; i < 64 && oldest == 0; i++) { // the first scan after it; other records carry no receive time
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    if (dc.isData() && KafkaExportAgent.isScan(bytes)) {
                        oldest = bytes.readLong(bytes.readPosition() + RecordFlyweight.RECEIVED_AT_OFFSET);
                    }
                }
            }
        }
        oldestUnackedNs = oldest;
        events = behind;
    }

    long events() {
        return events;
    }

    /** Age of the oldest scan not yet acknowledged by the broker, in seconds (0: caught up). */
    double seconds(long nowEpochNs) {
        final long oldest = oldestUnackedNs;
        return oldest == 0 ? 0 : Math.max(0, (nowEpochNs - oldest) / 1e9);
    }

    @Override
    public void close() {
        tailer.close();
    }
}
