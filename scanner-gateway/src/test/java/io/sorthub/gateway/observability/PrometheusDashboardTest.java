package io.sorthub.gateway.observability;

import io.sorthub.gateway.Gateway;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.GatewayService;
import io.sorthub.gateway.sim.SimulateCommand;
import io.sorthub.test.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.ops.V2Source;
import io.sorthub.hub.pair.PairCluster;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sorthub.gateway.observability.ObservabilityFiles.ALERTMANAGER;
import static io.sorthub.gateway.observability.ObservabilityFiles.DASHBOARDS;
import static io.sorthub.gateway.observability.ObservabilityFiles.PROMETHEUS;
import static io.sorthub.gateway.observability.ObservabilityFiles.ROOT;
import static io.sorthub.gateway.observability.ObservabilityFiles.alertRules;
import static io.sorthub.gateway.observability.ObservabilityFiles.dashboard;
import static io.sorthub.gateway.observability.ObservabilityFiles.panels;
import static io.sorthub.gateway.observability.ObservabilityFiles.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observability artifacts against the real thing. A real Prometheus (the system
 * package), run with the project's prometheus.yml, recording and alert rules, scrapes a
 * running hub (exporting to an in-process Kafka cluster, and the one instance of a hub pair on it) and a gateway, both under simulated
 * traffic (with a hub's exceptions: interceptions, overrides, re-keys, bags, parcels the
 * sorter lost or did not confirm), and sends its alerts to a real Alertmanager run with the project's config. Every
 * query of every dashboard panel and annotation must return data with the dashboard
 * variables set; every rule must evaluate cleanly over series that exist; the metrics the
 * processes expose must be the ones the docs list. Then the hub is stopped: the panels that
 * count what is offline or full must read "not reporting" (-1), never a green 0, and
 * SortHubHubDown (and the gateway's SortHubGatewayLostHub) must fire and reach Alertmanager.
 */
@Timeout(360)
class PrometheusDashboardTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The "for" of SortHubHubDown and SortHubGatewayLostHub, and then some. */
    private static final Duration ALERT_WAIT = Duration.ofSeconds(150);
    private static final String HUB = "demo";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private String get(String url) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + "\n" + r.body();
    }

    private JsonObject query(int port, String expr) throws Exception {
        final String body = get("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        return new JsonObject(body.substring(body.indexOf('\n') + 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void dashboardsAndAlertsTellTheTruthWhileTheHubRunsAndAfterItStops() throws Exception {
        ObservabilityFiles.ensureTools();
        final Map<String, String> variables;
        final List<Process> processes = new ArrayList<>();
        // The hub exports its journal to a real Kafka cluster, and runs as the one instance of a hub
        // pair on it: the export and pair panels and alerts need their series.
        try (PairCluster kafka = new PairCluster()) {
            final HubConfig hubConfig = exportingTo(kafka, kafka.hubConfig(tmp.resolve("hub"), HUB, "a"));
            // A decided parcel the sorter does not confirm within a second counts unconfirmed: the
            // simulated sorters now and then report a chute full instead, the gateway's line confirms none.
            hubConfig.confirmTimeoutMs = 1_000;
            final HubService hub = HubService.start(hubConfig);
            boolean hubRunning = true;
            try {
                Await.until(WAIT, () -> hub.pair().active(), () -> "the hub never became its pair's active: "
                    + hub.pair().status());
            } catch (AssertionError e) {
                hub.close();
                throw e;
            }
            try (GatewayService gatewayService = GatewayService.start(gatewayConfig(hub.scanPort()))) {
                final Gateway gateway = gatewayService.gateway();
                // What a devices file listing the simulated sources and the gateway makes the hub say.
                hub.metrics().listedSources(() -> List.of(1, 2, 3, 100));
                // Traffic: simulated sources straight to the hub, native scanners through a gateway,
                // a source that went away, a chute the sorter reported full, one an operator disabled,
                // an HTTP request for a path that does not exist.
                final Thread traffic = new Thread(() -> new CommandLine(new SimulateCommand()).execute("--port",
                    String.valueOf(hub.scanPort()), "--sources", "3", "--rate", "3000", "--duration", "25", "--quiet"));
                traffic.start();
                final Thread scanners = new Thread(() -> new CommandLine(new SimulateCommand()).execute("--native",
                    "127.0.0.1:" + gateway.devicePort("tunnel-1"), "--sources", "1", "--rate", "500", "--duration", "25",
                    "--quiet"));
                scanners.start();
                try (ScanSender gone = new ScanSender(hub.scanPort(), 77)) {
                    gone.send(1, 5);
                    gone.awaitAck(5, WAIT);
                }
                // Outlets the simulator's own chute-full episodes (1-9) leave alone.
                hub.control().setOutlet(10, OutletStatus.FULL, "test");
                hub.control().setOutlet(11, OutletStatus.DISABLED, "test");
                assertThat(get("http://127.0.0.1:" + hub.httpPort() + "/api/no-such-thing")).startsWith("404");

                checkExpositions(hub.httpPort(), gatewayService.httpPort());

                final int alertmanagerPort = freePort();
                processes.add(startAlertmanager(alertmanagerPort));
                final int port = freePort();
                processes.add(startPrometheus(port, hub.httpPort(), gatewayService.httpPort(), alertmanagerPort));
                variables = Map.of("$hub", HUB, "$instance", "127.0.0.1:" + hub.httpPort(), "$line", "line-1");
                try {
                    awaitReady("http://127.0.0.1:" + port + "/-/ready");
                    awaitReady("http://127.0.0.1:" + alertmanagerPort + "/-/ready");
                    System.gc(); // so the JVM's GC meters exist to be scraped
                    operations(hub, port);
                    // Enough samples for the 5-minute rates over 1 s scrapes, and the parcel flow (arrival -> loading).
                    Await.until(WAIT, () -> has(port, "hub:sorthub_sort_requests:rate5m > 0")
                        && has(port, "count_over_time(sorthub_parcels_loaded_total[30s]) > 15")
                        && has(port, "hub:sorthub_missort:ratio_rate15m")
                        && has(port, "jvm_gc_pause_seconds_max")
                        && has(port, "hub_instance_line_device:sorthub_gateway_decision_round_trip_seconds:p99_rate5m >= 0")
                        && has(port, "sum(rate(sorthub_gateway_reads_total[30s])) > 0")
                        && has(port, "increase(sorthub_parcels_unconfirmed_total{outlet!=\"unplanned\"}[1h]) > 0"),
                        () -> "no scraped traffic yet");

                    final List<String> failures = new ArrayList<>();
                    final int queries = checkEveryPanelQuery(port, variables, failures);
                    final int rules = checkEveryRule(port, failures);
                    assertThat(failures).as("queries and rules that failed or returned nothing").isEmpty();
                    assertThat(queries).isGreaterThanOrEqualTo(100);
                    assertThat(rules).as("rules Prometheus loaded")
                        .isEqualTo(ObservabilityFiles.rules("recording.yml").size() + alertRules().size());

                    // While the hub runs, the status panels count: the chute full (and any the simulator
                    // reports full), the one disabled.
                    final Map<String, Double> whileUp = statusPanelValues(port, variables);
                    assertThat(whileUp.get("Chutes full")).isGreaterThanOrEqualTo(1.0);
                    assertThat(whileUp).containsEntry("Chutes disabled", 1.0);
                    assertThat(whileUp.values()).allMatch(v -> v >= 0);

                    hub.close();
                    hubRunning = false;
                    Await.until(WAIT, () -> has(port, "up{job=\"sorthub-hub\"} == 0"), () -> "the hub still scraped");
                    final Map<String, Double> whileDown = statusPanelValues(port, variables);
                    System.out.println("status panels with the hub stopped: " + whileDown);
                    for (String title : List.of("Expected sources disconnected", "Chutes full", "Chutes disabled")) {
                        assertThat(whileDown).as("%s while the hub is not scraped", title).containsEntry(title, -1.0);
                    }
                    Await.until(ALERT_WAIT, () -> firing(port, "SortHubHubDown") && firing(port, "SortHubGatewayLostHub"),
                        () -> "SortHubHubDown and SortHubGatewayLostHub not both firing: " + alerts(port));
                    Await.until(WAIT, () -> alertmanagerHas(alertmanagerPort, "SortHubHubDown"),
                        () -> "Alertmanager did not receive SortHubHubDown");
                    // Still not reporting once the alert fires, not a zero that crept back in.
                    final Map<String, Double> whileAlerting = statusPanelValues(port, variables);
                    for (String title : List.of("Expected sources disconnected", "Chutes full", "Chutes disabled")) {
                        assertThat(whileAlerting).as("%s while SortHubHubDown fires", title).containsEntry(title, -1.0);
                    }
                    System.out.printf("prometheus: %d dashboard queries and %d rules checked against a live scrape; "
                        + "with the hub stopped the status panels read not reporting and SortHubHubDown fired%n", queries, rules);
                } finally {
                    for (Process p : processes) {
                        p.destroy();
                        p.waitFor(20, TimeUnit.SECONDS);
                    }
                    traffic.join(60_000);
                    scanners.join(60_000);
                }
            } finally {
                if (hubRunning) {
                    hub.close();
                }
            }
        }
    }

    /**
     * A hub's exceptions, as a supervisor and a version 2 sorter make them: a parcel on the hold
     * list (intercepted), one overridden, a re-keyed no-read, a bag opened, and two parcels the
     * sorter lost, the second after Prometheus scraped the first (an outlet's counter is made by
     * its first parcel, which rates do not see).
     */
    private void operations(HubService hub, int prometheusPort) throws Exception {
        final String api = "http://127.0.0.1:" + hub.httpPort() + "/api";
        assertThat(send("PUT", api + "/holds/SH-HELD-1", "{\"reason\": \"recalled\"}")).isEqualTo(200);
        // Outlet 12: the simulator's chute-full episodes (1-9) could fill 7 just then, 10 is full
        // and 11 disabled above, and an override to such a chute rightly gives way to the plan.
        assertThat(send("POST", api + "/overrides", "{\"barcode\": \"SH-OVR-1\", \"outlet\": 12, \"minutes\": 30}"))
            .isEqualTo(200);
        assertThat(send("POST", api + "/rekeys", "{\"parcelId\": \"TRAY-9\", \"barcode\": \"SH-RK-1\"}")).isEqualTo(200);
        assertThat(send("PUT", api + "/outlets/5/bag", "{\"bagId\": \"BAG-1\"}")).isEqualTo(200);
        try (V2Source sorter = new V2Source(hub.scanPort(), 4, 2)) {
            assertThat(sorter.decision(sorter.send(EventKind.SORT_REQUEST, "SH-HELD-1", "518057", 0, "")).reason())
                .isEqualTo(DecisionReason.INTERCEPTED);
            assertThat(sorter.decision(sorter.send(EventKind.SORT_REQUEST, "SH-OVR-1", "518057", 0, "")).reason())
                .isEqualTo(DecisionReason.OVERRIDE);
            assertThat(sorter.decision(sorter.send(EventKind.NO_READ, "", "", 0, "TRAY-9")).flags()
                & DecisionFlyweight.FLAG_REKEYED).isEqualTo(DecisionFlyweight.FLAG_REKEYED);
            for (int lost = 1; lost <= 2; lost++) {
                // No rule matches 999999: the default outlet 98, which nothing in this test fills.
                assertThat(sorter.decision(sorter.send(EventKind.SORT_REQUEST, "SH-LOST-" + lost, "999999", 0, "")).outlet())
                    .isEqualTo(98);
                sorter.awaitAck(sorter.send(EventKind.CONFIRM_LOST, "SH-LOST-" + lost, "", 0, ""));
                final String scraped = "sorthub_parcels_lost_total{outlet=\"98\"} >= " + lost;
                Await.until(WAIT, () -> has(prometheusPort, scraped), () -> "Prometheus has not scraped " + scraped);
            }
        }
    }

    private int send(String method, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** promtool accepts both expositions, and the docs list exactly the metrics they have. */
    private void checkExpositions(int hubPort, int gatewayPort) throws Exception {
        final Map<Integer, Path> docs = Map.of(hubPort, ROOT.resolve("docs/OPERATIONS.md"), gatewayPort,
            ROOT.resolve("docs/SCANNERS.md"));
        for (Map.Entry<Integer, Path> doc : docs.entrySet()) {
            final String exposition = get("http://127.0.0.1:" + doc.getKey() + "/metrics").split("\n", 2)[1];
            final Path file = tmp.resolve("metrics-" + doc.getKey() + ".txt");
            Files.writeString(file, exposition);
            assertThat(run(Duration.ofMinutes(1), tmp, "sh", "-c", "promtool check metrics < " + file))
                .as("promtool on the exposition of port %d", doc.getKey()).isEmpty();
            final Set<String> exposed = metricNames(exposition);
            final String text = Files.readString(doc.getValue());
            final String table = text.substring(text.indexOf("\n## Metrics"));
            final Set<String> documented = new TreeSet<>();
            for (String row : table.substring(0, nextSection(table)).split("\n")) {
                if (row.startsWith("| ")) { // the metrics table: its first column names them
                    final Matcher m = Pattern.compile("\\bsorthub_[a-z0-9_]+").matcher(row.split("\\|")[1]);
                    while (m.find()) {
                        documented.add(m.group());
                    }
                }
            }
            assertThat(documented).as("the metrics table of %s", doc.getValue().getFileName()).isEqualTo(exposed);
        }
    }

    private static int nextSection(String fromMetricsHeading) {
        final int next = fromMetricsHeading.indexOf("\n## ", 3);
        return next < 0 ? fromMetricsHeading.length() : next;
    }

    /** The sorthub_ metric families of an exposition (a histogram's _max gauge goes with it). */
    private static Set<String> metricNames(String exposition) {
        final Set<String> names = new TreeSet<>();
        final Matcher m = Pattern.compile("(?m)^# TYPE (sorthub_\\w+) (\\w+)").matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        names.removeIf(n -> n.endsWith("_max") && names.contains(n.substring(0, n.length() - 4)));
        return names;
    }

    /** Every panel query and annotation of every dashboard, with the variables set, returns data. */
    private int checkEveryPanelQuery(int port, Map<String, String> variables, List<String> failures) throws Exception {
        int count = 0;
        for (String file : DASHBOARDS) {
            final JsonObject dashboard = dashboard(file);
            final List<String[]> exprs = new ArrayList<>();
            for (JsonObject panel : panels(dashboard)) {
                for (Object t : panel.getJsonArray("targets", new JsonArray())) {
                    exprs.add(new String[] {panel.getString("title"), ((JsonObject) t).getString("expr")});
                }
            }
            for (Object a : dashboard.getJsonObject("annotations").getJsonArray("list")) {
                final JsonObject annotation = (JsonObject) a;
                if (annotation.containsKey("expr")) {
                    exprs.add(new String[] {"annotation " + annotation.getString("name"), annotation.getString("expr")});
                }
            }
            for (String[] e : exprs) {
                final String expr = substitute(e[1], variables);
                count++;
                final JsonObject answer = query(port, expr);
                if (!"success".equals(answer.getString("status"))) {
                    failures.add(file + " / " + e[0] + ": " + expr + " -> " + answer.encode());
                } else if (answer.getJsonObject("data").getJsonArray("result").isEmpty()
                    && !(expr.endsWith(" > 0") && has(port, expr.substring(0, expr.length() - 4)))) {
                    // A trailing "> 0" hides series that are all zero (noise): then the unfiltered query must have data.
                    failures.add(file + " / " + e[0] + ": " + expr + " -> no data");
                }
            }
        }
        return count;
    }

    private static String substitute(String expr, Map<String, String> variables) {
        String out = expr.replace("$__rate_interval", "30s").replace("$__interval", "30s").replace("$__range", "1h");
        for (Map.Entry<String, String> v : variables.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }

    /** Recording and alert rules: evaluated without error, over series that exist. */
    private int checkEveryRule(int port, List<String> failures) throws Exception {
        Await.until(WAIT, () -> rules(port).stream().allMatch(r -> !r.getString("lastEvaluation", "").startsWith("0001")),
            () -> "rules not evaluated yet");
        int count = 0;
        for (JsonObject rule : rules(port)) {
            count++;
            if (!"ok".equals(rule.getString("health"))) {
                failures.add("rule " + rule.getString("name") + ": " + rule.getString("health") + " " + rule.getString("lastError"));
            }
            for (String selector : selectors(rule.getString("query"))) {
                if (!has(port, selector)) {
                    failures.add("rule " + rule.getString("name") + ": " + selector + " -> no data");
                }
            }
        }
        return count;
    }

    /** The count panels that must never show a green 0 for "nothing known": title -> value now. */
    private Map<String, Double> statusPanelValues(int port, Map<String, String> variables) throws Exception {
        final Map<String, Double> values = new java.util.TreeMap<>();
        for (JsonObject panel : panels(dashboard("hub-overview.json"))) {
            final JsonArray mappings = panel.getJsonObject("fieldConfig", new JsonObject()).getJsonObject("defaults",
                new JsonObject()).getJsonArray("mappings", new JsonArray());
            final boolean notReporting = mappings.stream().map(JsonObject.class::cast)
                .map(m -> m.getJsonObject("options").getJsonObject("-1"))
                .anyMatch(o -> o != null && "not reporting".equals(o.getString("text")) && "red".equals(o.getString("color")));
            if (!notReporting) {
                continue;
            }
            final String expr = substitute(panel.getJsonArray("targets").getJsonObject(0).getString("expr"), variables);
            final JsonArray result = query(port, expr).getJsonObject("data").getJsonArray("result");
            assertThat(result).as("%s: %s", panel.getString("title"), expr).hasSize(1);
            values.put(panel.getString("title"), Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)));
        }
        assertThat(values).containsKeys("Expected sources disconnected", "Scanners offline", "Gateways cut off from the hub",
            "Chutes full", "Chutes disabled");
        return values;
    }

    private Process startPrometheus(int port, int hubPort, int gatewayPort, int alertmanagerPort) throws Exception {
        // The project's own config, with this test's addresses and a 1 s scrape and evaluation.
        String config = Files.readString(PROMETHEUS.resolve("prometheus.yml"));
        for (String[] r : new String[][] {{"scrape_interval: 5s", "scrape_interval: 1s"},
            {"evaluation_interval: 15s", "evaluation_interval: 1s"}, {"'hub:7480'", "'127.0.0.1:" + hubPort + "'"},
            {"'gateway:7680'", "'127.0.0.1:" + gatewayPort + "'"},
            {"'alertmanager:9093'", "'127.0.0.1:" + alertmanagerPort + "'"},
            {"- recording.yml", "- " + PROMETHEUS.resolve("recording.yml")}, {"- alerts.yml", "- " + PROMETHEUS.resolve("alerts.yml")},
            {"'targets/export-kafka.yml'", "'" + PROMETHEUS.resolve("targets/export-kafka.yml") + "'"}}) {
            assertThat(config).as("prometheus.yml has %s", r[0]).contains(r[0]);
            config = config.replace(r[0], r[1]);
        }
        final Path file = tmp.resolve("prometheus.yml");
        Files.writeString(file, config);
        run(Duration.ofMinutes(1), tmp, "promtool", "check", "config", file.toString());
        return new ProcessBuilder("prometheus", "--config.file=" + file, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
    }

    private Process startAlertmanager(int port) throws Exception {
        return new ProcessBuilder("prometheus-alertmanager", "--config.file=" + ALERTMANAGER.resolve("alertmanager.yml"),
            "--storage.path=" + tmp.resolve("alertmanager"), "--web.listen-address=127.0.0.1:" + port,
            "--cluster.listen-address=").redirectErrorStream(true)
            .redirectOutput(tmp.resolve("alertmanager.log").toFile()).start();
    }

    private void awaitReady(String url) {
        Await.until(WAIT, () -> {
            try {
                return get(url).startsWith("200");
            } catch (Exception e) {
                return false;
            }
        }, () -> url + " not ready");
    }

    private List<JsonObject> alerts(int port) {
        try {
            final String body = get("http://127.0.0.1:" + port + "/api/v1/alerts");
            final List<JsonObject> out = new ArrayList<>();
            new JsonObject(body.substring(body.indexOf('\n') + 1)).getJsonObject("data").getJsonArray("alerts")
                .forEach(a -> out.add((JsonObject) a));
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    private boolean firing(int port, String alertname) {
        return alerts(port).stream().anyMatch(a -> "firing".equals(a.getString("state"))
            && alertname.equals(a.getJsonObject("labels").getString("alertname"))
            && HUB.equals(a.getJsonObject("labels").getString("hub")));
    }

    private boolean alertmanagerHas(int port, String alertname) {
        try {
            final String body = get("http://127.0.0.1:" + port + "/api/v2/alerts");
            return new JsonArray(body.substring(body.indexOf('\n') + 1)).stream().map(JsonObject.class::cast)
                .anyMatch(a -> alertname.equals(a.getJsonObject("labels").getString("alertname")));
        } catch (Exception e) {
            return false;
        }
    }

    private static HubConfig exportingTo(PairCluster kafka, HubConfig config) {
        config.exportKafkaBootstrap = kafka.bootstrap(); // the broker creates the topic on first use
        return config;
    }

    private GatewayConfig gatewayConfig(int hubPort) {
        final GatewayConfig config = new GatewayConfig();
        config.hubPort = hubPort;
        config.httpPort = 0;
        config.spoolDir = tmp.resolve("spool").toString();
        config.devices.get(0).port = 0;
        return config;
    }

    private boolean has(int port, String expr) {
        try {
            final JsonObject answer = query(port, expr);
            return "success".equals(answer.getString("status")) && !answer.getJsonObject("data").getJsonArray("result").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private List<JsonObject> rules(int port) {
        final List<JsonObject> out = new ArrayList<>();
        try {
            final String body = get("http://127.0.0.1:" + port + "/api/v1/rules");
            final JsonArray groups = new JsonObject(body.substring(body.indexOf('\n') + 1)).getJsonObject("data").getJsonArray("groups");
            for (Object g : groups) {
                for (Object r : ((JsonObject) g).getJsonArray("rules")) {
                    out.add((JsonObject) r);
                }
            }
        } catch (Exception e) {
            return List.of();
        }
        return out;
    }

    /**
     * The series selectors inside an expression: metrics (sorthub_..., jvm_..., process_...) and
     * recorded series (hub:sorthub_...:...), each with its label matchers. The fallback clauses'
     * ALERTS and up are left out: they exist only when something is down.
     */
    static Set<String> selectors(String expr) {
        final Set<String> out = new LinkedHashSet<>();
        final Matcher m = Pattern.compile("(?<![\\w:\"])([a-zA-Z_][a-zA-Z0-9_:]*)(\\{[^}]*\\})?").matcher(expr);
        while (m.find()) {
            final String name = m.group(1);
            if (name.contains("sorthub_") || name.matches("(jvm|process|system|vertx)_.*")) {
                out.add(name + (m.group(2) == null ? "" : m.group(2)));
            }
        }
        return out;
    }
}
