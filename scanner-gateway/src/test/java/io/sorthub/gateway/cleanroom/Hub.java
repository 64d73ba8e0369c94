package io.sorthub.gateway.cleanroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sorthub.test.ChildProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * hub-service run as README.md says ({@code java -jar hub-service/target/hub-service.jar --data-dir D
 * --scan-port P --http-port H}) on fixed ports picked free, so that a restart on the same data folder
 * is found by the gateway at the same address; its HTTP API and {@code journal export}.
 */
final class Hub {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration START = Duration.ofSeconds(45);

    final Path dataDir;
    final int scanPort;
    final int httpPort;
    ChildProcess process;

    Hub(Path dataDir, int scanPort, int httpPort) {
        this.dataDir = dataDir;
        this.scanPort = scanPort;
        this.httpPort = httpPort;
    }

    /** Starts (or starts again) and waits for the ready line that names the scan port (OPERATIONS.md "Start"). */
    Hub start() throws Exception {
        process = Jars.start("hub-service", Jars.HUB, List.of("--data-dir", dataDir.toString(),
            "--scan-port", Integer.toString(scanPort), "--http-port", Integer.toString(httpPort)));
        process.awaitLine(Pattern.compile("ready: scans on 127\\.0\\.0\\.1:" + scanPort + "\\b"), START);
        return this;
    }

    void sigkill() throws InterruptedException {
        Jars.sigkill(process);
    }

    HttpResponse<String> get(String path) throws Exception {
        return Jars.get(httpPort, path);
    }

    /** {@code GET /api/sources}: the highest durable sequence of the source, -1 when not listed. */
    long sourceSequence(int sourceId) throws Exception {
        final HttpResponse<String> r = get("/api/sources");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/sources answered " + r.statusCode() + ": " + r.body());
        }
        for (JsonNode n : JSON.readTree(r.body())) {
            if (n.path("sourceId").asInt() == sourceId) {
                return n.path("sequence").asLong();
            }
        }
        return -1;
    }

    /** {@code GET /api/parcels/{barcode}}: the events of the parcel (fails on anything but 200). */
    JsonNode parcelEvents(String barcode) throws Exception {
        final HttpResponse<String> r = get("/api/parcels/" + URLEncoder.encode(barcode, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/parcels/" + barcode + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("events");
    }

    /** A scan record of {@code journal export}: sequence and barcode, in journal order. */
    record Scan(long sequence, String barcode, String kind, String scanner) {
        @Override
        public String toString() {
            return sequence + ":" + barcode;
        }
    }

    /**
     * {@code hub-service journal export --data-dir D} (JSON lines; "both commands read the journal while
     * the hub runs"): the source's scan records in journal order.
     */
    List<Scan> exportScans(int sourceId) throws Exception {
        final Process p = new ProcessBuilder(io.sorthub.test.ChildProcess.java(Jars.HUB, List.of("journal", "export", "--data-dir", dataDir.toString())))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final List<Scan> scans = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("journal export did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("journal export exited " + p.exitValue() + ": " + String.join("\n", lines));
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            final JsonNode n = JSON.readTree(line);
            if ("scan".equals(n.path("record").asText()) && n.path("source").asInt() == sourceId) {
                scans.add(new Scan(n.path("sequence").asLong(), n.path("barcode").asText(), n.path("kind").asText(),
                    n.path("scanner").asText()));
            }
        }
        return scans;
    }

    static List<Scan> expected(List<String> barcodes, String kind, String scanner) {
        final List<Scan> all = new ArrayList<>();
        for (int i = 0; i < barcodes.size(); i++) {
            all.add(new Scan(i + 1, barcodes.get(i), kind, scanner));
        }
        return all;
    }

    void close() throws InterruptedException {
        sigkill();
    }
}
