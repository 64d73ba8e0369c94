package io.sorthub.hub.cleanroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code hub-service journal export --data-dir DIR} (JSON lines) says the journal holds, read
 * as an auditor would: every record in journal order.
 */
final class JournalExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> records;

    private JournalExport(List<JsonNode> records) {
        this.records = records;
    }

    static JournalExport of(Path dataDir) throws Exception {
        final HubProcess.Result r = HubProcess.run(Duration.ofSeconds(60), "journal", "export", "--data-dir", dataDir.toString());
        if (r.status() != 0) {
            throw new AssertionError("journal export exited " + r.status() + ": " + r.stderr());
        }
        final List<JsonNode> records = new ArrayList<>();
        for (String line : r.lines()) {
            if (!line.isBlank()) {
                records.add(JSON.readTree(line));
            }
        }
        return new JournalExport(records);
    }

    /** The sequences of the source's scan records, in journal order. */
    List<Long> scanSequences(int source) {
        return records.stream().filter(n -> "scan".equals(n.path("record").asText()) && n.path("source").asInt() == source)
            .map(n -> n.path("sequence").asLong()).toList();
    }

    /** The source's scan and source_reset records, in journal order, as "scan 5" / "source_reset 20". */
    List<String> sourceHistory(int source) {
        return records.stream().filter(n -> n.path("source").asInt() == source)
            .filter(n -> List.of("scan", "source_reset").contains(n.path("record").asText()))
            .map(n -> n.path("record").asText() + " " + n.path("sequence").asLong()).toList();
    }

    static List<Long> range(long from, long to) {
        final List<Long> all = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            all.add(s);
        }
        return all;
    }
}
