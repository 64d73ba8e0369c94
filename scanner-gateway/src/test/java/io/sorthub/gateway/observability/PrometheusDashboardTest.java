package io.sorthub.gateway.observability;

import io.sorthub.gateway.Gateway;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.gateway.GatewayService;
import io.sorthub.gateway.sim.SimulateCommand;
import io.sorthub.hub.Await;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.routing.OutletStatus;
import io.vertx.core.json.JsonArray;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observability artifacts against the real thing: a real Prometheus (installed from the
 * system packages when absent) scrapes a running hub fed by the simulator; every PromQL
 * expression of every dashboard panel must parse and return data, every alert rule must
 * evaluate cleanly over series that exist, promtool must accept the rules, their unit
 * tests and the hub's exposition.
 */
@Timeout(300)
class PrometheusDashboardTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final Path GRAFANA = ROOT.resolve("grafana");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private static String run(Duration timeout, Path dir, String... command) throws Exception {
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

    private static void ensureTools() throws Exception {
        final Process which = new ProcessBuilder("sh", "-c", "command -v prometheus && command -v promtool").start();
        if (which.waitFor() != 0) {
            run(Duration.ofMinutes(10), ROOT, "bash", ROOT.resolve("scripts/install-test-tools.sh").toString());
        }
    }

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
    void everyDashboardQueryAndAlertRuleWorksAgainstARealPrometheus() throws Exception {
        ensureTools();
        final Path prometheusDir = GRAFANA.resolve("prometheus");
        run(Duration.ofMinutes(1), prometheusDir, "promtool", "check", "rules", "alerts.yml");
        assertThat(run(Duration.ofMinutes(1), prometheusDir, "promtool", "test", "rules", "alerts-test.yml")).contains("SUCCESS");

        // The hub exports its journal to a real broker: the export panels and alerts need its series.
        try (KafkaClusterTestKit kafka = kafka(tmp.resolve("kafka"));
             HubService hub = HubService.start(exportingTo(kafka, TestHub.config(tmp.resolve("hub"))));
             GatewayService gatewayService = GatewayService.start(gatewayConfig(hub.scanPort()))) {
            final Gateway gateway = gatewayService.gateway();
            // Traffic: simulated sources straight to the hub, native scanners through a gateway,
            // a source that went away, a chute an operator marked full.
            final Thread traffic = new Thread(() -> new CommandLine(new SimulateCommand()).execute("--port",
                String.valueOf(hub.scanPort()), "--sources", "3", "--rate", "3000", "--duration", "20", "--quiet"));
            traffic.start();
            final Thread scanners = new Thread(() -> new CommandLine(new SimulateCommand()).execute("--native",
                "127.0.0.1:" + gateway.devicePort("tunnel-1"), "--sources", "1", "--rate", "500", "--duration", "20", "--quiet"));
            scanners.start();
            try (ScanSender gone = new ScanSender(hub.scanPort(), 77)) {
                gone.send(1, 5);
                gone.awaitAck(5, WAIT);
            }
            hub.control().setOutlet(5, OutletStatus.FULL, "test");

            for (int metricsPort : List.of(hub.httpPort(), gatewayService.httpPort())) {
                final Path exposition = tmp.resolve("metrics-" + metricsPort + ".txt");
                Files.writeString(exposition, get("http://127.0.0.1:" + metricsPort + "/metrics").split("\n", 2)[1]);
                assertThat(run(Duration.ofMinutes(1), tmp, "sh", "-c", "promtool check metrics < " + exposition))
                    .as("promtool on the exposition of port %d", metricsPort).isEmpty();
            }

            final int port = freePort();
            final Path config = tmp.resolve("prometheus.yml");
            Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ['%s']
                scrape_configs:
                  - job_name: sorthub-hub
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: sorthub-gateway
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(prometheusDir.resolve("alerts.yml"), hub.httpPort(), gatewayService.httpPort()));
            run(Duration.ofMinutes(1), tmp, "promtool", "check", "config", config.toString());
            final Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
            try {
                Await.until(WAIT, () -> {
                    try {
                        return get("http://127.0.0.1:" + port + "/-/ready").startsWith("200");
                    } catch (Exception e) {
                        return false;
                    }
                }, () -> "prometheus not ready");
                System.gc(); // so the JVM's GC meters exist to be scraped
                // Enough samples for 30s windows and the parcel flow (arrival -> loading).
                Await.until(WAIT, () -> has(port, "sum(rate(sorthub_scan_events_total[30s])) > 0")
                    && has(port, "count_over_time(sorthub_parcels_loaded_total[30s]) > 15")
                    && has(port, "jvm_gc_pause_seconds_max")
                    && has(port, "sum(rate(sorthub_gateway_reads_total[30s])) > 0"), () -> "no scraped traffic yet");

                final List<String> failures = new ArrayList<>();
                int panels = 0;
                for (String file : List.of("hub-overview.json", "engineering.json")) {
                    final JsonObject dashboard = new JsonObject(Files.readString(GRAFANA.resolve("dashboards").resolve(file)));
                    for (Object p : dashboard.getJsonArray("panels")) {
                        final JsonObject panel = (JsonObject) p;
                        assertThat(panel.getString("description")).as("panel %s has a description", panel.getString("title")).isNotBlank();
                        assertThat(panel.getJsonObject("fieldConfig").getJsonObject("defaults").getString("unit"))
                            .as("panel %s has a unit", panel.getString("title")).isNotBlank();
                        for (Object t : panel.getJsonArray("targets")) {
                            final String expr = ((JsonObject) t).getString("expr")
                                .replace("$__rate_interval", "30s").replace("$__interval", "30s").replace("$__range", "1h");
                            final JsonObject answer = query(port, expr);
                            panels++;
                            if (!"success".equals(answer.getString("status"))) {
                                failures.add(file + " / " + panel.getString("title") + ": " + expr + " -> " + answer.encode());
                            } else if (answer.getJsonObject("data").getJsonArray("result").isEmpty()) {
                                failures.add(file + " / " + panel.getString("title") + ": " + expr + " -> no data");
                            }
                        }
                    }
                }

                // Alert rules: evaluated by Prometheus without error, over series that exist.
                Await.until(WAIT, () -> rules(port).stream().allMatch(r -> !r.getString("lastEvaluation", "").startsWith("0001")),
                    () -> "rules not evaluated yet");
                int alerts = 0;
                for (JsonObject rule : rules(port)) {
                    alerts++;
                    if (!"ok".equals(rule.getString("health"))) {
                        failures.add("alert " + rule.getString("name") + ": " + rule.getString("health") + " " + rule.getString("lastError"));
                    }
                    for (String selector : selectors(rule.getString("query"))) {
                        if (!has(port, selector)) {
                            failures.add("alert " + rule.getString("name") + ": " + selector + " -> no data");
                        }
                    }
                }
                assertThat(failures).as("queries that failed or returned nothing").isEmpty();
                assertThat(panels).isGreaterThanOrEqualTo(30);
                assertThat(alerts).isEqualTo(15);
                System.out.printf("prometheus: %d dashboard queries and %d alert rules checked against a live scrape%n",
                    panels, alerts);
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
                traffic.join(60_000);
                scanners.join(60_000);
            }
        }
    }

    private static KafkaClusterTestKit kafka(Path dir) throws Exception {
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
            .setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build()).build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    private static HubConfig exportingTo(KafkaClusterTestKit kafka, HubConfig config) {
        config.exportKafkaBootstrap = kafka.bootstrapServers(); // the broker creates the topic on first use
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

    /** The metric selectors inside an expression, e.g. sorthub_decisions_total{reason="no_read"}. */
    static Set<String> selectors(String expr) {
        final Set<String> out = new LinkedHashSet<>();
        final Matcher m = Pattern.compile("\\b((?:sorthub|jvm|process|system)_[a-zA-Z0-9_:]*)(\\{[^}]*\\})?").matcher(expr);
        while (m.find()) {
            out.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        }
        return out;
    }
}
