package io.sorthub.gateway.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's observability files (grafana/, docs/) and the command-line tools that check
 * them (promtool, amtool), installed from the system packages when absent.
 */
final class ObservabilityFiles {
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    static final Path GRAFANA = ROOT.resolve("grafana");
    static final Path PROMETHEUS = GRAFANA.resolve("prometheus");
    static final Path ALERTMANAGER = GRAFANA.resolve("alertmanager");
    static final List<String> DASHBOARDS = List.of("hub-overview.json", "engineering.json");

    private ObservabilityFiles() {
    }

    /** Runs a command to completion; its output, or an AssertionError with the output. */
    static String run(Duration timeout, Path dir, String... command) throws Exception {
        final Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** prometheus, promtool, prometheus-alertmanager and amtool on the PATH (scripts/install-test-tools.sh). */
    static void ensureTools() throws Exception {
        final Process which = new ProcessBuilder("sh", "-c",
            "command -v prometheus && command -v promtool && command -v prometheus-alertmanager && command -v amtool")
            .start();
        if (which.waitFor() != 0) {
            run(Duration.ofMinutes(10), ROOT, "bash", ROOT.resolve("scripts/install-test-tools.sh").toString());
        }
    }

    static JsonObject dashboard(String file) throws IOException {
        return new JsonObject(Files.readString(GRAFANA.resolve("dashboards").resolve(file)));
    }

    /** Every panel of a dashboard, those inside collapsed rows included. */
    static List<JsonObject> panels(JsonObject dashboard) {
        final List<JsonObject> out = new ArrayList<>();
        collect(dashboard.getJsonArray("panels"), out);
        return out;
    }

    private static void collect(JsonArray panels, List<JsonObject> out) {
        for (Object p : panels) {
            final JsonObject panel = (JsonObject) p;
            out.add(panel);
            if (panel.containsKey("panels")) {
                collect(panel.getJsonArray("panels"), out);
            }
        }
    }

    /** The rules of a rule file of grafana/prometheus. */
    static List<JsonNode> rules(String file) throws IOException {
        final List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : new YAMLMapper().readTree(PROMETHEUS.resolve(file).toFile()).get("groups")) {
            group.get("rules").forEach(out::add);
        }
        return out;
    }

    /** The alerting rules of alerts.yml. */
    static List<JsonNode> alertRules() throws IOException {
        return rules("alerts.yml").stream().filter(rule -> rule.has("alert")).toList();
    }
}
