package io.sorthub.gateway.observability;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sorthub.gateway.observability.ObservabilityFiles.ALERTMANAGER;
import static io.sorthub.gateway.observability.ObservabilityFiles.PROMETHEUS;
import static io.sorthub.gateway.observability.ObservabilityFiles.ROOT;
import static io.sorthub.gateway.observability.ObservabilityFiles.alertRules;
import static io.sorthub.gateway.observability.ObservabilityFiles.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules and their companions, checked by the tools that run them: promtool accepts the
 * scrape config, the recording and alert rules and passes their unit tests; amtool accepts
 * the Alertmanager config. Every alert has a unit test, a runbook section its runbook_url
 * points at, a severity and a team, and names the hub it is about.
 */
@Timeout(120)
class AlertRulesTest {
    @BeforeAll
    static void tools() throws Exception {
        ObservabilityFiles.ensureTools();
    }

    @Test
    void promtoolAcceptsTheConfigAndTheRulesAndTheirUnitTestsPass() throws Exception {
        run(Duration.ofMinutes(1), PROMETHEUS, "promtool", "check", "config", "prometheus.yml");
        run(Duration.ofMinutes(1), PROMETHEUS, "promtool", "check", "rules", "recording.yml", "alerts.yml");
        assertThat(run(Duration.ofMinutes(1), PROMETHEUS, "promtool", "test", "rules", "alerts-test.yml"))
            .contains("SUCCESS");
    }

    @Test
    void amtoolAcceptsTheAlertmanagerConfig() throws Exception {
        assertThat(run(Duration.ofMinutes(1), ALERTMANAGER, "amtool", "check-config", "alertmanager.yml"))
            .contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestARunbookAndSaysWhichHub() throws Exception {
        final String tests = Files.readString(PROMETHEUS.resolve("alerts-test.yml"));
        final String runbooks = Files.readString(ROOT.resolve("docs/RUNBOOKS.md"));
        final List<String> problems = new ArrayList<>();
        final Set<String> names = new TreeSet<>();
        for (JsonNode rule : alertRules()) {
            final String name = rule.get("alert").asText();
            names.add(name);
            if (!Pattern.compile("alertname: " + name + "\\s").matcher(tests).find()) {
                problems.add(name + ": no promtool unit test in alerts-test.yml");
            }
            final String runbook = rule.path("annotations").path("runbook_url").asText();
            if (!runbook.equals("docs/RUNBOOKS.md#" + name.toLowerCase(Locale.ROOT))) {
                problems.add(name + ": runbook_url is '" + runbook + "'");
            }
            if (!runbooks.contains("\n## " + name + "\n")) {
                problems.add(name + ": no '## " + name + "' section in docs/RUNBOOKS.md");
            }
            if (!rule.path("labels").has("severity") || !rule.path("labels").has("team")) {
                problems.add(name + ": needs severity and team labels");
            }
            final boolean aboutNoTarget = rule.get("expr").asText().startsWith("absent(");
            if (!aboutNoTarget && !rule.path("annotations").path("summary").asText().contains("{{ $labels.hub }}")) {
                problems.add(name + ": its summary does not name the hub");
            }
        }
        final Matcher sections = Pattern.compile("\n## (SortHub\\w+)\n").matcher(runbooks);
        while (sections.find()) {
            if (!names.contains(sections.group(1))) {
                problems.add("docs/RUNBOOKS.md has a section for " + sections.group(1) + ", which is no alert");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(names).hasSizeGreaterThanOrEqualTo(30);
    }
}
