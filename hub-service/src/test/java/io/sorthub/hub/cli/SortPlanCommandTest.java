package io.sorthub.hub.cli;

import io.sorthub.test.StandardStreams;
import io.sorthub.hub.whatif.KnownTraffic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hub-service sort-plan check | diff | simulate}, run as an engineer runs them. */
class SortPlanCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StandardStreams.capture(out, err, () -> new CommandLine(new HubMain()).execute(args));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void checkPrintsEveryErrorWithFileAndLine() throws Exception {
        final Path plan = file("bad.yaml", KnownTraffic.OLD.replace("outlet: 5}", "outlet: 55}")
            .replace("group: BJ}", "group: BJ, destinationPrefix: \"101\"}").replace("timeZone", "timezone"));
        assertThat(run("sort-plan", "check", plan.toString())).isEqualTo(1);
        assertThat(err().lines()).containsExactly(
            plan + ":2: unknown field 'timezone'; expected one of [defaultOutlet, groups, interceptOutlet, maxRecirculations, name, noReadWords, "
                + "outlets, overflowOutlet, rejectOutlet, rules, timeZone, validateCheckDigits]",
            plan + ":9: rules[0] (rule 10): outlet: unknown outlet 55",
            plan + ":10: rules[1]: 'destinationPrefix' is given twice (first on line 10); say it once",
            plan + ": 3 errors: the plan would be refused");
    }

    @Test
    void checkSaysOkWithWarnings() throws Exception {
        final Path plan = file("ok.yaml", KnownTraffic.CANDIDATE + "  - {id: 50, destinationPrefix: \"5180\", group: SZ}\n");
        assertThat(run("sort-plan", "check", plan.toString())).isEqualTo(0);
        assertThat(out()).contains(plan + ": OK, plan 'candidate': 8 outlets, 2 groups, 5 rules")
            .contains("warning: rule 50 (line 13) is unreachable: rule 10 (line 9) comes first");
    }

    @Test
    void aFileOverTheBoundIsRefusedWithoutReadingIt() throws Exception {
        final Path plan = dir.resolve("huge.yaml");
        try (var channel = java.nio.channels.FileChannel.open(plan, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), 40L << 20); // sparse: 40 MiB
        }
        assertThat(run("sort-plan", "check", plan.toString())).isEqualTo(1);
        assertThat(err()).contains(plan + ":1: the file is 41,943,041 bytes; a sort plan may be at most 16,777,216 bytes");
    }

    @Test
    void diffNamesRulesAddedRemovedChangedAndMoved() throws Exception {
        final Path old = file("old.yaml", KnownTraffic.OLD);
        final Path candidate = file("new.yaml", KnownTraffic.OLD
            .replace("  - {id: 10, destinationPrefix: \"518\", outlet: 5}\n", "")
            .replace("{id: 30, destinationPrefix: \"200\", weightGrams: {max: 3000}, outlet: 1}",
                "{id: 30, destinationPrefix: \"200\", weightGrams: {max: 3000, unweighed: true}, outlet: 1}")
            + "  - {id: 10, destinationPrefix: '518', outlet: 5}\n  - {id: 40, destinationPrefix: \"300\", outlet: 2}\n");
        assertThat(run("sort-plan", "diff", old.toString(), candidate.toString())).isEqualTo(1);
        assertThat(out().lines()).containsExactly(
            old + " -> " + candidate + ": rules 1 added, 0 removed, 1 changed, 1 moved; outlets 0 added, 0 removed, "
                + "0 changed; groups 0 added, 0 removed, 0 changed; 0 settings changed",
            "  changed  rule 30 (line 11 -> 10): weightGrams: {max: 3000} -> {max: 3000, unweighed: true}",
            "  added    rule 40 (line 12): {destinationPrefix: 300, id: 40, outlet: 2}",
            "  moved    rule 10 (line 9 -> 11): now after rule 30");
        out.reset();
        assertThat(run("sort-plan", "diff", old.toString(), old.toString())).isZero();
        assertThat(out()).contains("the same plan");
        assertThat(run("sort-plan", "diff", old.toString(), file("broken.yaml", "rules: [").toString())).isEqualTo(2);
        assertThat(err()).contains("sort-plan diff: the new plan: line 1: not valid YAML");
    }

    @Test
    void simulateReportsOnAJournalAsTableJsonAndCsv() throws Exception {
        KnownTraffic.record(dir.resolve("journal"));
        final Path candidate = file("candidate.yaml", KnownTraffic.CANDIDATE);
        assertThat(run("sort-plan", "simulate", candidate.toString(), "--data-dir", dir.toString())).as(err()).isZero();
        assertThat(out()).contains("Parcels that change outlet: 210 of 275 (76.4%)");

        out.reset();
        assertThat(run("sort-plan", "simulate", candidate.toString(), "--data-dir", dir.toString(), "--json",
            "--from", "2026-11-23T01:00:00Z", "--to", "2026-11-23T02:00:00Z")).isZero();
        final JsonObject json = new JsonObject(out());
        assertThat(json.getLong("parcels")).as("09:00 to 10:00 in Shanghai").isEqualTo(90);
        assertThat(json.getLong("changedOutlet")).isEqualTo(90);

        out.reset();
        assertThat(run("sort-plan", "simulate", candidate.toString(), "--data-dir", dir.toString(), "--csv",
            "--capacity", "35")).isZero();
        assertThat(out().lines()).contains("summary,capacity_per_hour,,35", "overload,6@2026-11-23T08:00+08:00,0,100");

        assertThat(run("sort-plan", "simulate", candidate.toString(), "--data-dir", dir.toString(), "--csv", "--json"))
            .isEqualTo(2);
        assertThat(run("sort-plan", "simulate", candidate.toString(), "--data-dir", dir.resolve("nothing").toString()))
            .isEqualTo(2);
        assertThat(err()).contains("sort-plan simulate: no journal at");
        assertThat(run("sort-plan", "simulate", file("bad.yaml", "rules: 5").toString(), "--data-dir", dir.toString()))
            .isEqualTo(1);
    }
}
