package io.sorthub.hub.cli;

import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.ScanRecord;

import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code journal stats} tells of a journal: counts per record type, the sources heard
 * from, the time span of the records ({@code firstNs} is {@code Long.MAX_VALUE} and
 * {@code lastNs} 0 for an empty journal), scans by kind and by reason.
 */
record JournalStats(long scans, int sources, long outletChanges, long planRecords, long checkpoints, long firstNs,
                    long lastNs, Map<String, Long> kinds, Map<String, Long> reasons) {

    /** Adds up records one at a time, on the reading thread, then gives the {@link JournalStats}. */
    static final class Tally {
        private final Map<String, Long> kinds = new TreeMap<>();
        private final Map<String, Long> reasons = new TreeMap<>();
        private final Set<Integer> sources = new HashSet<>();
        private long scans;
        private long outletChanges;
        private long planRecords;
        private long checkpoints;
        private long firstNs = Long.MAX_VALUE;
        private long lastNs;

        void add(JournalRecord r) {
            firstNs = Math.min(firstNs, r.receivedAtNs());
            lastNs = Math.max(lastNs, r.receivedAtNs());
            switch (r.type()) {
                case JournalRecord.TYPE_SCAN -> {
                    final ScanRecord scan = r.scan();
                    scans++;
                    sources.add(scan.sourceId());
                    kinds.merge(scan.frame().kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                    reasons.merge(scan.reason().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                }
                case JournalRecord.TYPE_OUTLET_STATE -> outletChanges++;
                case JournalRecord.TYPE_PLAN -> planRecords++;
                case JournalRecord.TYPE_CHECKPOINT -> checkpoints++;
                default -> { }
            }
        }

        JournalStats stats() {
            return new JournalStats(scans, sources.size(), outletChanges, planRecords, checkpoints, firstNs, lastNs,
                Collections.unmodifiableMap(new TreeMap<>(kinds)),
                Collections.unmodifiableMap(new TreeMap<>(reasons))); // sorted, as printed
        }
    }
}
