package io.sorthub.hub.whatif;

import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.protocol.DecisionReason;
import io.vertx.core.json.JsonObject;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What-if replay on a journal written here ({@link KnownTraffic}): the plan in force replays
 * to exactly what was recorded, and the candidate's every effect is known.
 */
class WhatIfReplayTest {
    @TempDir
    Path dir;

    private static long at(int hour, int minute) {
        return KnownTraffic.at(hour, minute);
    }

    private WhatIfReport replay(String plan, long from, long to, long capacity) throws Exception {
        final SortPlan candidate = new SortPlanCompiler().compile(plan, 0);
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE)) {
            final List<Long> progress = new ArrayList<>();
            final WhatIfReport report = new WhatIf(journal, SystemNanoClock.INSTANCE).replay(candidate, from, to, capacity, progress::add);
            assertThat(progress).isNotEmpty();
            return report;
        }
    }

    @BeforeEach
    void recordTheTraffic() throws Exception {
        KnownTraffic.record(dir);
    }

    @Test
    void thePlanInForceReplaysToExactlyWhatTheJournalRecorded() throws Exception {
        final WhatIfReport same = replay(KnownTraffic.OLD, Long.MIN_VALUE, Long.MAX_VALUE, 0);
        assertThat(same.parcels()).isEqualTo(275);
        assertThat(same.changedOutlet()).isZero();
        assertThat(same.changedReason()).isZero();
        assertThat(same.reasons()).containsExactly(
            new WhatIfReport.ReasonCount(DecisionReason.RULE, 220, 220),
            new WhatIfReport.ReasonCount(DecisionReason.DEFAULT, 35, 35),
            new WhatIfReport.ReasonCount(DecisionReason.NO_READ, 10, 10),
            new WhatIfReport.ReasonCount(DecisionReason.ALTERNATE, 10, 10));
    }

    @Test
    void theCandidatesEffectIsReportedExactly() throws Exception {
        final WhatIfReport r = replay(KnownTraffic.CANDIDATE, Long.MIN_VALUE, Long.MAX_VALUE, 0);
        assertThat(r.planName()).isEqualTo("candidate");
        assertThat(r.parcels()).isEqualTo(275);
        assertThat(r.firstMs()).isEqualTo(at(8, 0));
        assertThat(r.lastMs()).isEqualTo(at(10, 45) + 9_000);
        assertThat(r.changedOutlet()).isEqualTo(210);
        assertThat(r.outletChanges()).containsExactly(
            new WhatIfReport.Change(5, 6, 120),
            new WhatIfReport.Change(5, 7, 30),
            new WhatIfReport.Change(5, 97, 30),
            new WhatIfReport.Change(98, 1, 30));
        assertThat(r.changedReason()).isEqualTo(90);
        assertThat(r.reasonChanges()).containsExactlyInAnyOrder(
            new WhatIfReport.ReasonChange(DecisionReason.RULE, DecisionReason.ALTERNATE, 30),
            new WhatIfReport.ReasonChange(DecisionReason.RULE, DecisionReason.OVERFLOW, 30),
            new WhatIfReport.ReasonChange(DecisionReason.DEFAULT, DecisionReason.RULE, 30));
        assertThat(r.reasons()).containsExactly(
            new WhatIfReport.ReasonCount(DecisionReason.RULE, 220, 190),
            new WhatIfReport.ReasonCount(DecisionReason.DEFAULT, 35, 5),
            new WhatIfReport.ReasonCount(DecisionReason.NO_READ, 10, 10),
            new WhatIfReport.ReasonCount(DecisionReason.ALTERNATE, 10, 40),
            new WhatIfReport.ReasonCount(DecisionReason.OVERFLOW, 0, 30));
        assertThat(r.categories()).containsExactly(
            new WhatIfReport.Category("default", 35, 5, 0),
            new WhatIfReport.Category("overflow", 0, 30, 30),
            new WhatIfReport.Category("reject", 10, 10, 0));
        assertThat(r.rules()).containsExactly(new WhatIfReport.RuleUse(10, 9, 180), new WhatIfReport.RuleUse(20, 10, 50),
            new WhatIfReport.RuleUse(30, 11, 30), new WhatIfReport.RuleUse(40, 12, 0));
        assertThat(r.unusedRules()).containsExactly(new WhatIfReport.RuleUse(40, 12, 0));

        final long h8 = at(8, 0);
        final long h9 = at(9, 0);
        final long h10 = at(10, 0);
        assertThat(r.hourly()).containsExactly(
            new WhatIfReport.HourLoad(h8, 1, 40, 40), new WhatIfReport.HourLoad(h8, 5, 100, 0),
            new WhatIfReport.HourLoad(h8, 6, 0, 100), new WhatIfReport.HourLoad(h8, 99, 10, 10),
            new WhatIfReport.HourLoad(h9, 1, 0, 30), new WhatIfReport.HourLoad(h9, 5, 60, 0),
            new WhatIfReport.HourLoad(h9, 7, 0, 30), new WhatIfReport.HourLoad(h9, 97, 0, 30),
            new WhatIfReport.HourLoad(h9, 98, 30, 0),
            new WhatIfReport.HourLoad(h10, 2, 10, 10), new WhatIfReport.HourLoad(h10, 5, 20, 0),
            new WhatIfReport.HourLoad(h10, 6, 0, 20), new WhatIfReport.HourLoad(h10, 98, 5, 5));
        assertThat(r.outlets()).contains(
            new WhatIfReport.OutletLoad(5, "Shenzhen", 180, 0, h8, 100, 0, 0),
            new WhatIfReport.OutletLoad(6, "outlet 6", 0, 120, 0, 0, h8, 100));
        assertThat(r.capacityPerHour()).as("the busiest outlet-hour before: outlet 5 at 08:00").isEqualTo(100);
        assertThat(r.overloads()).isEmpty();
    }

    @Test
    void aGivenCapacityFindsTheOverloadedHours() throws Exception {
        final WhatIfReport r = replay(KnownTraffic.CANDIDATE, Long.MIN_VALUE, Long.MAX_VALUE, 35);
        assertThat(r.overloads()).containsExactly(new WhatIfReport.HourLoad(at(8, 0), 6, 0, 100),
            new WhatIfReport.HourLoad(at(8, 0), 1, 40, 40));
    }

    @Test
    void aTimeWindowReplaysOnlyItsRequestsButKeepsTheOutletStatesFromBefore() throws Exception {
        final WhatIfReport r = replay(KnownTraffic.CANDIDATE, at(9, 0), at(10, 0), 0);
        assertThat(r.parcels()).isEqualTo(90);
        assertThat(r.outletChanges()).containsExactly(new WhatIfReport.Change(5, 7, 30),
            new WhatIfReport.Change(5, 97, 30), new WhatIfReport.Change(98, 1, 30));
    }

    @Test
    void theReportPrintsAsATableJsonAndCsv() throws Exception {
        final WhatIfReport r = replay(KnownTraffic.CANDIDATE, Long.MIN_VALUE, Long.MAX_VALUE, 0);
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        ReportTable.print(r, "data/journal", new PrintStream(table, true, StandardCharsets.UTF_8));
        assertThat(table.toString(StandardCharsets.UTF_8))
            .contains("What-if replay of sort plan 'candidate' against data/journal")
            .contains("275 sort requests from 2026-11-23 08:00 to 2026-11-23 10:45 (Asia/Shanghai)")
            .contains("Parcels that change outlet: 210 of 275 (76.4%)")
            .contains("       5 -> 6               120")
            .contains("Rules no replayed parcel reached: 1 of 4")
            .contains("rule 40 (line 12)");

        final JsonObject json = ReportJson.of(r);
        assertThat(json.getLong("changedOutlet")).isEqualTo(210);
        assertThat(json.getJsonArray("outletChanges").getJsonObject(0).encode()).isEqualTo("{\"from\":5,\"to\":6,\"parcels\":120}");
        assertThat(json.getJsonObject("answers").getJsonObject("overflow").encode())
            .isEqualTo("{\"before\":0,\"after\":30,\"newly\":30}");
        assertThat(json.getString("first")).isEqualTo("2026-11-23T08:00+08:00");
        assertThat(json.getJsonArray("unusedRules").encode()).isEqualTo("[{\"id\":40,\"line\":12}]");

        final StringBuilder csv = new StringBuilder();
        ReportCsv.write(r, csv);
        assertThat(csv.toString().lines()).first().isEqualTo("section,key,before,after");
        assertThat(csv.toString().lines()).contains("summary,changed_outlet,,210", "change,5>6,,120",
            "answers,overflow_newly,,30", "hour,6@2026-11-23T08:00+08:00,0,100", "rule,40@12,,0", "reason,overflow,0,30");
        assertThat(csv.toString().lines().skip(1)).allMatch(line -> line.split(",", -1).length == 4);
    }
}
