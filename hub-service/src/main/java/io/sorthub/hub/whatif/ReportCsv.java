package io.sorthub.hub.whatif;

import java.io.IOException;

/**
 * A what-if report as one CSV table for tools: {@code section,key,before,after}. Every
 * list in full: outlet changes ({@code change}, key {@code old>new}), reasons, reason changes,
 * default/overflow/reject answers ({@code answers}; key {@code NAME} and {@code NAME_newly}),
 * outlet totals, outlet-hours ({@code hour}, key {@code outlet@ISO hour}), overloads, and
 * each candidate rule's parcels ({@code rule}, key {@code id@line}). Keys and values are
 * numbers, reason names and times: nothing needs quoting.
 */
public final class ReportCsv {
    private ReportCsv() {
    }

    public static void write(WhatIfReport r, Appendable out) throws IOException {
        out.append("section,key,before,after\n");
        row(out, "summary", "parcels", r.parcels(), r.parcels());
        row(out, "summary", "changed_outlet", "", r.changedOutlet());
        row(out, "summary", "changed_reason", "", r.changedReason());
        row(out, "summary", "capacity_per_hour", "", r.capacityPerHour());
        for (WhatIfReport.Change c : r.outletChanges()) {
            row(out, "change", c.from() + ">" + c.to(), "", c.parcels());
        }
        for (WhatIfReport.ReasonCount c : r.reasons()) {
            row(out, "reason", ReportJson.name(c.reason()), c.before(), c.after());
        }
        for (WhatIfReport.ReasonChange c : r.reasonChanges()) {
            row(out, "reason_change", ReportJson.name(c.from()) + ">" + ReportJson.name(c.to()), "", c.parcels());
        }
        for (WhatIfReport.Category c : r.categories()) {
            row(out, "answers", c.name(), c.before(), c.after());
            row(out, "answers", c.name() + "_newly", "", c.newly());
        }
        for (WhatIfReport.OutletLoad o : r.outlets()) {
            row(out, "outlet", String.valueOf(o.outlet()), o.before(), o.after());
        }
        for (WhatIfReport.HourLoad h : r.hourly()) {
            row(out, "hour", h.outlet() + "@" + ReportTimes.iso(h.hourMs(), r.zone()), h.before(), h.after());
        }
        for (WhatIfReport.HourLoad h : r.overloads()) {
            row(out, "overload", h.outlet() + "@" + ReportTimes.iso(h.hourMs(), r.zone()), h.before(), h.after());
        }
        for (WhatIfReport.RuleUse u : r.rules()) {
            row(out, "rule", u.id() + "@" + u.line(), "", u.parcels());
        }
    }

    private static void row(Appendable out, String section, String key, Object before, Object after) throws IOException {
        out.append(section).append(',').append(key).append(',').append(String.valueOf(before)).append(',')
            .append(String.valueOf(after)).append('\n');
    }
}
