package io.sorthub.hub;

import io.sorthub.test.StandardStreams;
import io.sorthub.hub.cli.HubMain;
import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.whatif.KnownTraffic;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.ServiceClass;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/SORT-PLAN.md taken at its word: its complete example routes as its comments say, and
 * the example outputs it shows are what the commands print.
 */
class SortPlanDocsTest {
    private static final Path DOC = Path.of("../docs/SORT-PLAN.md");

    @TempDir
    Path dir;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final Decision decision = new Decision();
    private final OutletStates states = new OutletStates();

    private static String doc() throws Exception {
        return Files.readString(DOC);
    }

    /** The fenced block after {@code heading}'s first line that starts with {@code start}. */
    private static String block(String heading, String start) throws Exception {
        final String doc = doc();
        final int from = doc.indexOf(heading);
        assertThat(from).as("section %s in SORT-PLAN.md", heading).isPositive();
        final Matcher m = Pattern.compile("```[a-z]*\\n(" + Pattern.quote(start) + ".*?)```", Pattern.DOTALL)
            .matcher(doc.substring(from));
        assertThat(m.find()).as("example in %s", heading).isTrue();
        return m.group(1);
    }

    private Decision parcel(SortPlan plan, String destination, int service, String barcode, int weight, int length,
                            int hour) {
        new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST).serviceClass(service)
            .weightGrams(weight).dimensionsMm(length, 100, 100).strings("T", barcode, destination, "");
        final ScanFlyweight scan = new ScanFlyweight().wrap(buffer, 0);
        assertThat(scan.validate(new FrameError())).isZero();
        final long at = LocalDateTime.of(2026, 11, 23, hour, 0).atZone(ZoneId.of("Asia/Shanghai")).toInstant().toEpochMilli();
        return plan.decide(scan, at, states, decision);
    }

    @Test
    void theCompleteExampleRoutesAsItsCommentsSay() throws Exception {
        final SortPlan plan = new SortPlanCompiler().compile(block("## A complete example", "name:"), 1);
        assertThat(parcel(plan, "101234", ServiceClass.STANDARD, "B1", 1000, 1600, 10).outlet).as("bulky first").isEqualTo(12);
        assertThat(parcel(plan, "101234", ServiceClass.STANDARD, "B1", 1000, 300, 15).outlet).as("after the cut-off").isEqualTo(3);
        assertThat(parcel(plan, "101234", ServiceClass.STANDARD, "B1", 1000, 300, 10).outlet).isEqualTo(1);
        states.set(1, OutletStatus.FULL);
        assertThat(parcel(plan, "101234", ServiceClass.STANDARD, "B1", 1000, 300, 10).reason).isEqualTo(DecisionReason.ALTERNATE);
        assertThat(decision.outlet).isEqualTo(2);
        assertThat(decision.ruleId).as("an alternate names the rule").isEqualTo(11);
        assertThat(parcel(plan, "518057", ServiceClass.EXPRESS, "B1", 1000, 300, 10).outlet).isEqualTo(6);
        assertThat(parcel(plan, "518057", ServiceClass.STANDARD, "B1", 1000, 300, 10).outlet).isEqualTo(5);
        assertThat(parcel(plan, "755-A1-03", ServiceClass.STANDARD, "JT1234567890123", 2000, 300, 10).ruleId).isEqualTo(31);
        assertThat(parcel(plan, "755-A1-03", ServiceClass.STANDARD, "JT1234567890123", 0, 300, 10).reason)
            .as("weightGrams: {max: 3000} is about weighed parcels").isEqualTo(DecisionReason.DEFAULT);
        assertThat(parcel(plan, "755-A1-03", ServiceClass.STANDARD, "JT 234567890123", 2000, 300, 10).reason)
            .as("a space is outside printable ASCII").isEqualTo(DecisionReason.INVALID_BARCODE);
    }

    @Test
    void everyWrittenFormInTheUnweighedTableCompiles() throws Exception {
        final String doc = doc();
        final String table = doc.substring(doc.indexOf("| written | matches |"), doc.indexOf("## Outlet state"));
        final Matcher row = Pattern.compile("^\\| `([^`]+)`(?:, `([^`]+)`)? \\|", Pattern.MULTILINE).matcher(table);
        int forms = 0;
        while (row.find()) {
            for (int g = 1; g <= 2; g++) {
                if (row.group(g) != null) {
                    new SortPlanCompiler().compile("rejectOutlet: 1\ndefaultOutlet: 1\noutlets: [{id: 1}]\nrules:\n"
                        + "  - {id: 1, " + row.group(g) + ", outlet: 1}\n", 1);
                    forms++;
                }
            }
        }
        assertThat(forms).isEqualTo(5);
    }

    private String run(String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        StandardStreams.capture(out, null, () -> new CommandLine(new HubMain()).execute(args));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theWhatIfExampleIsWhatSimulatePrints() throws Exception {
        final Path data = dir.resolve("data");
        KnownTraffic.record(data.resolve("journal"));
        final Path candidate = Files.writeString(dir.resolve("candidate.yaml"), KnownTraffic.CANDIDATE);
        final String printed = run("sort-plan", "simulate", candidate.toString(), "--data-dir", data.toString())
            .replace(data.toString(), "data");
        final String shown = block("## What-if replay", "$ hub-service sort-plan simulate");
        assertThat(timeless(shown.substring(shown.indexOf('\n') + 1))).isEqualTo(timeless(printed));
    }

    @Test
    void theDiffExampleIsWhatDiffPrints() throws Exception {
        final String shown = block("## Comparing two plans", "old.yaml -> new.yaml");
        Files.writeString(dir.resolve("old.yaml"), KnownTraffic.OLD);
        Files.writeString(dir.resolve("new.yaml"), KnownTraffic.OLD
            .replace("  - {id: 10, destinationPrefix: \"518\", outlet: 5}\n", "")
            .replace("weightGrams: {max: 3000}", "weightGrams: {max: 3000, unweighed: true}")
            + "  - {id: 10, destinationPrefix: '518', outlet: 5}\n  - {id: 40, destinationPrefix: \"300\", outlet: 2}\n");
        final String printed = run("sort-plan", "diff", dir.resolve("old.yaml").toString(), dir.resolve("new.yaml").toString())
            .replace(dir + "/", "");
        assertThat(shown).isEqualTo(printed);
    }

    private static String timeless(String report) {
        return report.replaceAll("replayed in [0-9,]+ ms", "replayed in N ms").strip();
    }
}
