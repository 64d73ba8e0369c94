package io.sorthub.hub.cli;


import io.sorthub.hub.journal.AuditRecord;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.journal.JournalReader;
import io.sorthub.hub.journal.JournalRecord;
import io.sorthub.hub.journal.OpsRecord;
import io.sorthub.hub.journal.OutletStateRecord;
import io.sorthub.hub.journal.ScanRecord;
import io.sorthub.hub.journal.SourceResetRecord;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.kit.cli.CommandFailure;
import io.sorthub.kit.cli.TerminalProgress;
import io.sorthub.protocol.ScanFlyweight;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hub-service journal export|stats}: the journal for audits and reconciliation. Reads
 * a journal folder (also while the hub runs: Chronicle readers never block the writer).
 */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Export or summarise a journal.",
    subcommands = {JournalCommand.Export.class, JournalCommand.Stats.class, JournalCommand.Repair.class})
public final class JournalCommand {
    /** Exit code when the journal cannot be read whole (a cycle file Chronicle cannot open). */
    static final int UNREADABLE = 3;

    /** Parse a time as an instant, a local date-time or a date (local midnight); errors name the option. */
    static long parseTime(String text, String option) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException ignored) {
            // try the local forms
        }
        try {
            return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeException ignored) {
            // try a date
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(option + " '" + text
                + "' is not a time: use 2026-11-23T08:00:00Z, 2026-11-23T08:00 (local) or 2026-11-23");
        }
    }

    /** {@code --from}/{@code --to} as [fromMs, toMs): either may be absent (open-ended); from must come first. */
    static long[] timeRange(String from, String to) {
        final long fromMs = from == null ? Long.MIN_VALUE : parseTime(from, "--from");
        final long toMs = to == null ? Long.MAX_VALUE : parseTime(to, "--to");
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        return new long[] {fromMs, toMs};
    }

    /** Records in the journal, for a progress line's percentage; 0 when not known. */
    static long records(Journal journal) {
        return journal.queue() instanceof net.openhft.chronicle.queue.impl.single.SingleChronicleQueue queue
            ? queue.entryCount() : 0;
    }

    static Path journalDir(Path dataDir) {
        final Path dir = dataDir.resolve("journal");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no journal at " + dir.toAbsolutePath() + " (use --data-dir)");
        }
        return dir;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write journal records in a time range as JSON lines or CSV.")
    static final class Export implements Callable<Integer> {
        enum Format { jsonl, csv }

        @Option(names = "--data-dir", defaultValue = "data", description = "hub data folder (default ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--from", description = "first time (hub receive time), inclusive")
        String from;

        @Option(names = "--to", description = "last time, exclusive")
        String to;

        @Option(names = "--barcode", description = "only this parcel's records")
        String barcode;

        @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv (default ${DEFAULT-VALUE})")
        Format format;

        @Option(names = "--out", description = "output file (default: standard output); written whole or not at all")
        Path out;

        @Option(names = "--bags", description = "bag manifests instead of records: each bag sealed in the range "
            + "(and those open at its end) with its chute, times and parcels")
        boolean bags;

        @Override
        public Integer call() throws Exception {
            final long fromMs;
            final long toMs;
            final Path dir;
            try {
                final long[] range = timeRange(from, to);
                fromMs = range[0];
                toMs = range[1];
                dir = journalDir(dataDir);
            } catch (IllegalArgumentException e) {
                System.err.println("journal export: " + e.getMessage());
                return 2;
            }
            if (out != null) {
                final Path folder = out.toAbsolutePath().getParent();
                if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
                    throw CommandFailure.usage("--out " + out + ": " + (Files.isDirectory(folder)
                        ? "folder " + folder + " is not writable" : "no such folder " + folder));
                }
            }
            // Write to a partial file and rename at the end: an interrupted export leaves nothing behind.
            final Path partial = out == null ? null : out.resolveSibling(out.getFileName() + ".partial");
            final Thread cleanup = new Thread(() -> deleteQuietly(partial), "export-cleanup");
            if (partial != null) {
                Runtime.getRuntime().addShutdownHook(cleanup);
            }
            final long[] counts = new long[2]; // read, written
            try (Journal journal = Journal.openForReading(dir, Journal.DEFAULT_ROLL_CYCLE);
                 JournalReader reader = new JournalReader(journal);
                 // On a terminal, and only when the records go to a file: on standard output they are the data.
                 TerminalProgress progress = out == null ? TerminalProgress.onTerminal("") : TerminalProgress.onTerminal("exporting");
                 Writer writer = new BufferedWriter(partial == null
                     ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                     : ownerOnlyWriter(partial), 1 << 16)) {
                if (format == Format.csv) {
                    writer.write(bags ? BAGS_CSV_HEADER : CSV_HEADER);
                }
                final long total = records(journal);
                final io.sorthub.hub.ops.BagManifests manifests = !bags ? null : new io.sorthub.hub.ops.BagManifests(m -> {
                    final long endMs = m.sealedAtMs() == 0 ? Long.MAX_VALUE : m.sealedAtMs();
                    if (endMs >= fromMs && m.openedAtMs() < toMs) {
                        writeBag(writer, m);
                        counts[1]++;
                    }
                });
                reader.readAllOrFail((index, record) -> {
                    counts[0]++;
                    final long atMs = record.receivedAtNs() / 1_000_000L;
                    if (manifests != null) {
                        manifests.onRecord(record);
                    } else if (atMs >= fromMs && atMs < toMs && (barcode == null
                        || (record.type() == JournalRecord.TYPE_SCAN && barcode.equals(record.scan().frame().barcode())))) {
                        write(writer, index, record);
                        counts[1]++;
                    }
                    if (out != null) {
                        progress.update(counts[0], total);
                    }
                });
                if (manifests != null) {
                    manifests.finish();
                }
            } catch (IOException e) {
                deleteQuietly(partial); // a prefix passed off as the whole range would mislead an audit
                System.err.println("journal export: " + e.getMessage());
                return UNREADABLE;
            }
            if (partial != null) {
                Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Runtime.getRuntime().removeShutdownHook(cleanup);
                System.err.printf("exported %,d of %,d records to %s%n", counts[1], counts[0], out);
            }
            return 0;
        }

        /** A new file for the owner alone ({@code rw-------}): an export holds barcodes and customers. */
        private static Writer ownerOnlyWriter(Path file) throws IOException {
            Files.deleteIfExists(file); // a left-over would keep its own mode
            Files.createFile(file, io.sorthub.kit.fs.OwnerOnly.fileAttributes(file));
            io.sorthub.kit.fs.OwnerOnly.restrict(file, io.sorthub.kit.fs.OwnerOnly.FILE);
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        private static void deleteQuietly(Path path) {
            try {
                if (path != null) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException ignored) {
                // nothing more to do while the JVM stops
            }
        }

        static final String CSV_HEADER = "record,journal_index,received_at,source,sequence,kind,device_time,scanner,"
            + "barcode,destination,customer,service_class,weight_g,length_mm,width_mm,height_mm,recirculations,"
            + "reported_outlet,outlet,reason,rule_id,plan_version,actor,parcel_id,routed_by,hold_reason,detail\n";

        static final String BAGS_CSV_HEADER = "bag,outlet,opened_at,sealed_at,barcode\n";

        /** A bag manifest: one JSON line with its parcels, or a CSV row per parcel. */
        private void writeBag(Writer w, io.sorthub.hub.ops.BagManifests.Manifest m) {
            final String opened = Instant.ofEpochMilli(m.openedAtMs()).toString();
            final String sealed = m.sealedAtMs() == 0 ? null : Instant.ofEpochMilli(m.sealedAtMs()).toString();
            try {
                if (format == Format.jsonl) {
                    final Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("bag", m.bagId());
                    row.put("outlet", m.outlet());
                    row.put("opened_at", opened);
                    row.put("sealed_at", sealed);
                    row.put("count", m.parcels().size());
                    final String head = json(row);
                    final StringBuilder parcels = new StringBuilder(",\"parcels\":[");
                    for (int i = 0; i < m.parcels().size(); i++) {
                        parcels.append(i == 0 ? "" : ",").append('"').append(m.parcels().get(i)).append('"'); // printable ASCII: as is
                    }
                    w.write(head.substring(0, head.length() - 2) + parcels + "]}\n");
                } else {
                    for (String barcode : m.parcels()) {
                        final Map<String, Object> row = new java.util.LinkedHashMap<>();
                        row.put("bag", m.bagId());
                        row.put("outlet", m.outlet());
                        row.put("opened_at", opened);
                        row.put("sealed_at", sealed);
                        row.put("barcode", barcode);
                        w.write(csv(row, BAGS_CSV_HEADER));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void write(Writer w, long index, JournalRecord r) {
            final Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("record", switch (r.type()) {
                case JournalRecord.TYPE_SCAN -> "scan";
                case JournalRecord.TYPE_OUTLET_STATE -> "outlet_state";
                case JournalRecord.TYPE_PLAN -> "plan";
                case JournalRecord.TYPE_AUDIT -> "audit";
                case JournalRecord.TYPE_SOURCE_RESET -> "source_reset";
                case JournalRecord.TYPE_PAIR_POSITION -> "pair_position";
                case JournalRecord.TYPE_PAIR_ACTIVE -> "pair_active";
                case JournalRecord.TYPE_DEVICES -> "devices";
                case JournalRecord.TYPE_OPS -> {
                    final io.sorthub.hub.ops.OpsChange.Op op = io.sorthub.hub.ops.OpsChange.Op.fromCode(r.ops().op());
                    yield op == null ? "ops" : op.label();
                }
                default -> "checkpoint";
            });
            row.put("journal_index", index);
            row.put("received_at", Instant.ofEpochSecond(0, r.receivedAtNs()).toString());
            if (r.type() == JournalRecord.TYPE_SCAN) {
                final ScanRecord scan = r.scan();
                final ScanFlyweight s = scan.frame();
                final EventKind kind = s.kind();
                row.put("source", scan.sourceId());
                row.put("sequence", s.sequence());
                row.put("kind", kind.name().toLowerCase(Locale.ROOT));
                row.put("device_time", Instant.ofEpochMilli(s.deviceTimeMs()).toString());
                row.put("scanner", s.scannerId());
                row.put("barcode", s.barcode());
                row.put("destination", s.destination());
                row.put("customer", s.customer());
                row.put("service_class", s.serviceClass());
                row.put("weight_g", s.weightGrams());
                row.put("length_mm", s.lengthMm());
                row.put("width_mm", s.widthMm());
                row.put("height_mm", s.heightMm());
                row.put("recirculations", s.recirculations());
                row.put("reported_outlet", s.outlet());
                row.put("outlet", scan.outlet());
                final DecisionReason reason = scan.reason();
                row.put("reason", reason == null ? null : reason.name().toLowerCase(Locale.ROOT));
                row.put("rule_id", scan.ruleId());
                row.put("plan_version", scan.planVersion());
                row.put("parcel_id", s.parcelIdLength() == 0 ? null : s.parcelId());
                if ((scan.decisionFlags() & io.sorthub.protocol.DecisionFlyweight.FLAG_REKEYED) != 0) {
                    row.put("routed_by", scan.parcelBarcode()); // the barcode an operator keyed for the parcel id
                }
                row.put("hold_reason", scan.holdReason());
            } else if (r.type() == JournalRecord.TYPE_OPS) {
                final OpsRecord change = r.ops();
                row.put("actor", change.actor());
                row.put("detail", change.payload().strip().replace('\t', ' ').replace("\n", "; "));
            } else if (r.type() == JournalRecord.TYPE_OUTLET_STATE) {
                final OutletStateRecord state = r.outletState();
                row.put("outlet", state.outlet());
                row.put("reason", OutletStatus.fromCode(state.status()).label());
                row.put("actor", state.actor());
            } else if (r.type() == JournalRecord.TYPE_PLAN) {
                row.put("plan_version", r.plan().planVersion());
            } else if (r.type() == JournalRecord.TYPE_SOURCE_RESET) {
                final SourceResetRecord reset = r.sourceReset();
                row.put("source", reset.sourceId());
                row.put("sequence", reset.previousSequence());
                row.put("actor", reset.actor());
            } else if (r.type() == JournalRecord.TYPE_AUDIT) {
                final AuditRecord audit = r.audit();
                row.put("reason", audit.action());
                row.put("actor", audit.actor());
            }
            try {
                w.write(format == Format.jsonl ? json(row) : csv(row, CSV_HEADER));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String json(Map<String, Object> row) {
            final StringBuilder sb = new StringBuilder("{");
            row.forEach((k, v) -> {
                if (v == null) {
                    return;
                }
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append('"').append(k).append("\":");
                if (v instanceof Number) {
                    sb.append(v);
                } else {
                    sb.append('"');
                    for (char c : v.toString().toCharArray()) {
                        if (c == '"' || c == '\\') {
                            sb.append('\\').append(c);
                        } else if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                    sb.append('"');
                }
            });
            return sb.append("}\n").toString();
        }

        private static final CsvRows CSV = new CsvRows(List.of(CSV_HEADER.trim().split(",")));
        private static final CsvRows BAGS_CSV = new CsvRows(List.of(BAGS_CSV_HEADER.trim().split(",")));

        private static String csv(Map<String, Object> row, String header) {
            final List<Object> cells = new java.util.ArrayList<>();
            for (String column : header.trim().split(",")) {
                cells.add(row.get(column));
            }
            return (header.equals(BAGS_CSV_HEADER) ? BAGS_CSV : CSV).row(cells);
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Summarise a journal folder.")
    static final class Stats implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "data", description = "hub data folder (default ${DEFAULT-VALUE})")
        Path dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final Path dir;
            try {
                dir = journalDir(dataDir);
            } catch (IllegalArgumentException e) {
                System.err.println("journal stats: " + e.getMessage());
                return 2;
            }
            final JournalStats.Tally tally = new JournalStats.Tally();
            final long start = SystemNanoClock.INSTANCE.nanoTime();
            final long[] read = {0};
            try (Journal journal = Journal.openForReading(dir, Journal.DEFAULT_ROLL_CYCLE);
                 JournalReader reader = new JournalReader(journal);
                 TerminalProgress progress = TerminalProgress.onTerminal("reading the journal")) {
                final long total = records(journal);
                reader.readAllOrFail((index, r) -> {
                    progress.update(++read[0], total);
                    tally.add(r);
                });
            } catch (IOException e) {
                System.err.println("journal stats: " + e.getMessage());
                return UNREADABLE;
            }
            final long seconds = Math.max(1, (SystemNanoClock.INSTANCE.nanoTime() - start) / 1_000_000_000L);
            long bytes = 0;
            long files = 0;
            try (var list = Files.list(dir)) {
                for (Path p : list.filter(p -> p.toString().endsWith(".cq4")).toList()) {
                    bytes += Files.size(p);
                    files++;
                }
            }
            final PrintStream out = System.out;
            out.printf("journal %s: %d cycle files, %,d bytes%n", dir.toAbsolutePath(), files, bytes);
            final JournalStats stats = tally.stats();
            out.printf("scan events: %,d from %d sources; operator outlet changes: %d; plan records: %d; checkpoints: %d%n",
                stats.scans(), stats.sources(), stats.outletChanges(), stats.planRecords(), stats.checkpoints());
            if (stats.lastNs() > 0) {
                out.printf("time span: %s .. %s%n", Instant.ofEpochSecond(0, stats.firstNs()), Instant.ofEpochSecond(0, stats.lastNs()));
            }
            out.println("by kind:   " + stats.kinds());
            out.println("by reason: " + stats.reasons());
            out.printf("read in about %d s%n", seconds);
            return 0;
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Set aside journal cycle files left without a header by a kill during roll-over (what the hub "
            + "does at start); refuses other damage. Run only while no hub uses the folder.")
    static final class Repair implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "data", description = "hub data folder (default ${DEFAULT-VALUE})")
        Path dataDir;

        @Override
        public Integer call() {
            final Path dir;
            try {
                dir = journalDir(dataDir);
            } catch (IllegalArgumentException e) {
                System.err.println("journal repair: " + e.getMessage());
                return 2;
            }
            try (io.sorthub.hub.journal.DataFolderLock lock = io.sorthub.hub.journal.DataFolderLock.acquire(dataDir)) {
                final var broken = io.sorthub.hub.journal.CycleFileCheck.scan(dir);
                final var moved = io.sorthub.hub.journal.CycleFileCheck.quarantine(dir, broken, SystemEpochClock.INSTANCE);
                for (int i = 0; i < moved.size(); i++) {
                    System.out.println("set aside " + broken.get(i) + " -> " + moved.get(i));
                }
                System.out.println(moved.isEmpty() ? "journal " + dir.toAbsolutePath() + ": every cycle file opens; nothing to do"
                    : "journal " + dir.toAbsolutePath() + ": " + moved.size() + " file(s) set aside");
                return 0;
            } catch (io.sorthub.hub.journal.DataFolderLock.InUseException e) {
                System.err.println("journal repair: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                System.err.println("journal repair: " + e.getMessage());
                return UNREADABLE;
            }
        }
    }
}
