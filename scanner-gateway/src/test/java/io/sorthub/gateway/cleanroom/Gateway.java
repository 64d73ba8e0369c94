package io.sorthub.gateway.cleanroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sorthub.test.ChildProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scanner-gateway as SCANNERS.md runs it: {@code java -jar scanner-gateway.jar run --config gateway.yaml},
 * one generic-CSV induction device ({@code kind: sort_request}, {@code answer: same}) listening on a
 * port of 127.0.0.1, its spool in a folder of the test, /metrics and /health on another port.
 */
final class Gateway {
    static final int SOURCE_ID = 100;
    static final String LINE = "line-1";
    static final String DEVICE = "induct-1";
    /** Not an outlet of the hub's demo plan, so a fallback answer cannot pass for a decision. */
    static final int FALLBACK = 777;
    static final int REJECT = 99;
    static final int DEADLINE_MS = 300;
    static final Duration START = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path config;
    final Path spoolDir;
    final int devicePort;
    final int httpPort;
    ChildProcess process;

    Gateway(Path dir, int hubPort) throws Exception {
        this.spoolDir = dir.resolve("spool");
        this.devicePort = Jars.freePort();
        this.httpPort = Jars.freePort();
        this.config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
            "sourceId: " + SOURCE_ID,
            "name: " + LINE,
            "hubHost: 127.0.0.1",
            "hubPort: " + hubPort,
            "httpHost: 127.0.0.1",
            "httpPort: " + httpPort,
            "spoolDir: " + spoolDir,
            "devices:",
            "  - name: " + DEVICE,
            "    profile: generic-csv",
            "    mode: listen",
            "    host: 127.0.0.1",
            "    port: " + devicePort,
            "    kind: sort_request",
            "    answer: same",
            "    fallbackOutlet: " + FALLBACK,
            "    rejectOutlet: " + REJECT,
            "    deadlineMs: " + DEADLINE_MS,
            ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Starts (or starts again on the same spool) and waits for the start line ("At start one line names
     * the version, the hub(s), ..., the spool and the metrics port") and for /health to answer.
     */
    Gateway start() throws Exception {
        process = Jars.start("scanner-gateway", Jars.GATEWAY, List.of("run", "--config", config.toString()));
        process.awaitLine(Pattern.compile("scanner-gateway .*ready.*" + Pattern.quote(spoolDir.toString()) + ".*" + httpPort), START);
        return this;
    }

    void sigkill() throws InterruptedException {
        Jars.sigkill(process);
    }

    HttpResponse<String> get(String path) throws Exception {
        return Jars.get(httpPort, path);
    }

    String metrics() throws Exception {
        final HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("gateway GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * The value of metric {@code name} whose labels include every {@code key="value"} given (and the gateway's
     * {@code line}: "Every series carries line"); fails when there is no such sample.
     */
    double metric(String name, String... labels) throws Exception {
        final String text = metrics();
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            final String got = m.group(1);
            boolean all = got.contains("line=\"" + LINE + "\"");
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= got.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("gateway /metrics has no sample " + name + " with line=\"" + LINE + "\" and " + List.of(labels)
            + "; its gateway series:\n" + text.lines().filter(l -> l.startsWith("sorthub_gateway")).reduce("", (a, b) -> a + b + "\n"));
    }

    double backlog() throws Exception {
        return metric("sorthub_gateway_spool_backlog");
    }

    double hubConnected() throws Exception {
        return metric("sorthub_gateway_hub_connected");
    }

    /** GET /health: status code and body as JSON. */
    record Health(int status, JsonNode body) {
        JsonNode check(String id) {
            for (JsonNode c : body.path("checks")) {
                if (id.equals(c.path("id").asText())) {
                    return c;
                }
            }
            throw new AssertionError("gateway /health has no check '" + id + "': " + body);
        }
    }

    Health health() throws Exception {
        final HttpResponse<String> r = get("/health");
        return new Health(r.statusCode(), JSON.readTree(r.body()));
    }

    /** Lines the gateway printed so far (its log). */
    List<String> log() {
        return List.copyOf(process.output);
    }
}
