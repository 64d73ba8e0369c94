package io.sorthub.hub.whatif;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** A what-if report for a person at a terminal: the few lines that matter, longest lists cut short. */
public final class ReportTable {
    static final int TOP = 10;

    private ReportTable() {
    }

    public static void print(WhatIfReport r, String source, PrintStream out) {
        out.printf("What-if replay of sort plan '%s' against %s%n", r.planName(), source);
        if (r.parcels() == 0) {
            out.println("No sort requests in the journal for that time range: nothing to compare.");
            return;
        }
        out.printf("%,d sort requests from %s to %s (%s), replayed in %,d ms%s%n", r.parcels(),
            ReportTimes.full(r.firstMs(), r.zone()), ReportTimes.full(r.lastMs(), r.zone()), r.zone().getId(),
            r.elapsedNs() / 1_000_000, r.elapsedNs() < 1_000_000_000L ? "" : String.format(" (%,.0f decisions/s)",
                r.decisionsPerSecond()));
        if (r.planChanges() > 0) {
            out.printf("(%d %s put in force in that time: \"before\" is what the plan in force at each moment did)%n",
                r.planChanges(), r.planChanges() == 1 ? "plan was" : "plans were");
        }

        out.printf("%nParcels that change outlet: %,d of %,d (%.1f%%)%n", r.changedOutlet(), r.parcels(),
            100.0 * r.changedOutlet() / r.parcels());
        if (!r.outletChanges().isEmpty()) {
            out.printf("  %8s -> %-8s %10s%n", "from", "to", "parcels");
            r.outletChanges().stream().limit(TOP).forEach(c -> out.printf("  %8d -> %-8d %,10d%n", c.from(), c.to(), c.parcels()));
            more(out, r.outletChanges().size(), "outlet pairs");
        }

        out.printf("%nAnswers%n  %-20s %10s %10s%n", "reason", "before", "after");
        r.reasons().forEach(c -> out.printf("  %-20s %,10d %,10d%n", ReportJson.name(c.reason()), c.before(), c.after()));
        if (!r.reasonChanges().isEmpty()) {
            out.printf("  changed answers:%n");
            r.reasonChanges().stream().limit(TOP).forEach(c -> out.printf("    %-20s -> %-20s %,10d%n",
                ReportJson.name(c.from()), ReportJson.name(c.to()), c.parcels()));
            more(out, r.reasonChanges().size(), "answer changes");
        }
        out.printf("  %-20s %10s %10s %10s%n", "now going to", "before", "after", "newly");
        r.categories().forEach(c -> out.printf("  %-20s %,10d %,10d %,10d%n", c.name(), c.before(), c.after(), c.newly()));

        out.printf("%nOutlet load: parcels in total and in the outlet's busiest hour%n");
        out.printf("  %6s %-22s %10s %10s %22s %22s%n", "outlet", "name", "before", "after", "peak hour before", "peak hour after");
        for (WhatIfReport.OutletLoad o : r.outlets()) {
            out.printf("  %6d %-22s %,10d %,10d %22s %22s%n", o.outlet(), cut(o.name(), 22), o.before(), o.after(),
                peak(o.peakBefore(), o.peakBeforeHourMs(), r), peak(o.peakAfter(), o.peakAfterHourMs(), r));
        }

        out.printf("%nOverloaded outlet-hours after the change (above %,d parcels/h, %s): %s%n", r.capacityPerHour(),
            r.capacityGiven() ? "--capacity" : "the busiest outlet-hour before", r.overloads().isEmpty() ? "none" : "");
        r.overloads().stream().limit(TOP).forEach(h -> out.printf("  outlet %d at %s: %,d parcels (was %,d)%n",
            h.outlet(), ReportTimes.hour(h.hourMs(), r.zone()), h.after(), h.before()));
        more(out, r.overloads().size(), "overloaded outlet-hours");

        final List<WhatIfReport.RuleUse> unused = r.unusedRules();
        out.printf("%nRules no replayed parcel reached: %,d of %,d%n", unused.size(), r.rules().size());
        if (!unused.isEmpty()) {
            out.println("  " + unused.stream().limit(TOP * 3).map(u -> "rule " + u.id() + " (line " + u.line() + ")")
                .collect(Collectors.joining(", ")));
            more(out, unused.size(), "rules", TOP * 3);
        }
    }

    private static String peak(long parcels, long hourMs, WhatIfReport r) {
        return parcels == 0 ? "-" : String.format("%,d at %s", parcels, ReportTimes.hour(hourMs, r.zone()));
    }

    private static void more(PrintStream out, int size, String what) {
        more(out, size, what, TOP);
    }

    private static void more(PrintStream out, int size, String what, int shown) {
        if (size > shown) {
            out.printf("  ... %,d %s in all (--json or --csv for every one)%n", size, what);
        }
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
