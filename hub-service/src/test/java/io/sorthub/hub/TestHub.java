package io.sorthub.hub;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.protocol.DecisionReason;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts real hubs on 127.0.0.1 with ephemeral ports, and reads their journals back. */
public final class TestHub {
    private TestHub() {
    }

    public static HubConfig config(Path dataDir) {
        final HubConfig config = new HubConfig();
        config.host = "127.0.0.1";
        config.scanPort = 0;
        config.httpPort = 0;
        config.dataDir = dataDir.toString();
        config.ingestThreads = 2;
        return config;
    }

    public static HubService start(Path dataDir) throws Exception {
        return HubService.start(config(dataDir));
    }

    /** One journaled scan, copied out of the record for assertions. */
    public record Entry(long index, int sourceId, long sequence, String barcode, String destination,
                        int outlet, DecisionReason reason, int ruleId, long planVersion) {
    }

    /** Read the whole journal of a (stopped or running) hub. */
    public static List<Entry> readJournal(Path dataDir) {
        return readJournal(dataDir, Journal.DEFAULT_ROLL_CYCLE);
    }

    /** Read the whole journal of a hub configured with {@code rollCycle}. */
    public static List<Entry> readJournal(Path dataDir, String rollCycle) {
        final List<Entry> entries = new ArrayList<>();
        try (Journal journal = new Journal(dataDir.resolve("journal"), rollCycle);
             JournalReader reader = new JournalReader(journal)) {
            reader.readAll((index, record) -> {
                if (record.type() == JournalRecord.TYPE_SCAN) {
                    entries.add(entry(index, record));
                }
            });
        }
        return entries;
    }

    private static Entry entry(long index, JournalRecord r) {
        final ScanRecord scan = r.scan();
        return new Entry(index, scan.sourceId(), scan.frame().sequence(), scan.frame().barcode(), scan.frame().destination(),
            scan.outlet(), scan.reason(), scan.ruleId(), scan.planVersion());
    }
}
