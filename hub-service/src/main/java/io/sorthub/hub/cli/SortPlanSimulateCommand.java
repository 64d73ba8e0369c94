package io.sorthub.hub.cli;


import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.hub.whatif.ReportCsv;
import io.sorthub.hub.whatif.ReportJson;
import io.sorthub.hub.whatif.ReportTable;
import io.sorthub.hub.whatif.WhatIf;
import io.sorthub.hub.whatif.WhatIfReport;
import io.sorthub.kit.cli.TerminalProgress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hub-service sort-plan simulate CANDIDATE.yaml --data-dir DIR}: what the candidate
 * plan would have done to the sort requests in the journal, each decided again at its
 * recorded hub time with the outlet states of that moment (docs/SORT-PLAN.md, "What-if
 * replay"). Reads the journal while a hub runs; changes nothing.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Replay the journal's sort requests through a candidate plan and report what would change.")
final class SortPlanSimulateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CANDIDATE", description = "the candidate sort plan YAML")
    Path file;

    @Option(names = "--data-dir", defaultValue = "data", description = "hub data folder (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--from", description = "first hub receive time replayed, inclusive (e.g. 2026-11-23T08:00)")
    String from;

    @Option(names = "--to", description = "end of the replayed time, exclusive")
    String to;

    @Option(names = "--capacity", paramLabel = "PARCELS_PER_HOUR",
        description = "what one outlet can take in an hour, for overloads (default: the busiest outlet-hour in the journal)")
    long capacity;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "the report as JSON")
        boolean json;

        @Option(names = "--csv", description = "the report as one CSV table (section,key,before,after)")
        boolean csv;
    }

    @Override
    public Integer call() throws IOException {
        final long fromMs;
        final long toMs;
        final Path dir;
        try {
            final long[] range = JournalCommand.timeRange(from, to);
            fromMs = range[0];
            toMs = range[1];
            if (capacity < 0) {
                throw new IllegalArgumentException("--capacity must be a positive number of parcels per hour");
            }
            dir = JournalCommand.journalDir(dataDir);
        } catch (IllegalArgumentException e) {
            System.err.println("sort-plan simulate: " + e.getMessage());
            return 2;
        }
        final SortPlan candidate;
        try {
            candidate = new SortPlanCompiler().compile(SortPlanFiles.read(file), 0);
        } catch (SortPlanException e) {
            SortPlanFiles.printErrors(file, e, System.err);
            return 1;
        } catch (IOException e) {
            System.err.println(file + ": cannot read: " + e.getMessage());
            return 2;
        }
        final WhatIfReport report;
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE);
             TerminalProgress progress = TerminalProgress.onTerminal("replaying")) {
            final WhatIf whatIf = new WhatIf(journal, SystemNanoClock.INSTANCE);
            final long total = whatIf.records();
            report = whatIf.replay(candidate, fromMs, toMs, capacity, n -> progress.update(n, total));
        }
        final PrintStream out = System.out;
        if (format.json) {
            out.println(ReportJson.of(report).encodePrettily());
        } else if (format.csv) {
            ReportCsv.write(report, out);
        } else {
            ReportTable.print(report, dir.toString(), out);
        }
        out.flush();
        return 0;
    }
}
