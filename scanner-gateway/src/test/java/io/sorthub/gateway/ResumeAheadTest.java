package io.sorthub.gateway;

import io.sorthub.test.Exposition;
import io.sorthub.gateway.forward.SpoolForwarder;
import io.sorthub.test.Await;
import io.sorthub.test.CapturedLog;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub that already holds a high sequence for the gateway's source (a wiped spool, a
 * replaced gateway, a hijacked source id) must not make the gateway's reads vanish as
 * DUPLICATEs: the gateway refuses the resume point, forwards nothing, says so, keeps every
 * read and answers the sorter; with a new source id (or a reset source) everything goes through.
 */
@Timeout(120)
class ResumeAheadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        log = CapturedLog.loggerOf(SpoolForwarder.class);
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    private GatewayConfig gatewayConfig(int hubPort, int sourceId) {
        final GatewayConfig config = new GatewayConfig();
        config.sourceId = sourceId;
        config.hubPort = hubPort;
        config.httpPort = 0;
        config.spoolDir = dir.resolve("spool").toString();
        config.devices.get(0).port = 0;
        return config;
    }

    /** Another client of source 100 takes the hub's high-water mark to {@code sequence}. */
    private static void hijack(int hubPort, long... sequences) throws Exception {
        try (ScanSender intruder = new ScanSender(hubPort, 100)) {
            for (long sequence : sequences) { // steps within the hub's in-flight window
                intruder.send(sequence, sequence);
                intruder.awaitAck(sequence, WAIT);
            }
        }
    }

    /** The gateway's name, on every series it exports. */
    private static final String LINE = "{line=\"line-1\"}";

    private static double metric(Gateway gateway, String series) {
        return Exposition.value(gateway.scrape(), series);
    }

    /** Parcels P1..Pn through the scanner port; returns the answer lines. */
    private static List<String> scan(Gateway gateway, int from, int to) throws Exception {
        try (Socket scanner = new Socket(InetAddress.getLoopbackAddress(), gateway.devicePort("tunnel-1"))) {
            scanner.setSoTimeout(20_000);
            final StringBuilder lines = new StringBuilder();
            for (int i = from; i <= to; i++) {
                lines.append("P").append(i).append(",SF").append(i).append(",518057,1,1,1,1,0\n");
            }
            scanner.getOutputStream().write(lines.toString().getBytes(StandardCharsets.ISO_8859_1));
            scanner.getOutputStream().flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(scanner.getInputStream(), StandardCharsets.ISO_8859_1));
            final java.util.ArrayList<String> answers = new java.util.ArrayList<>();
            for (int i = from; i <= to; i++) {
                answers.add(in.readLine());
            }
            return answers;
        }
    }

    @Test
    void aResumePointAboveTheSpoolStopsForwardingLoudlyAndLosesNoRead() throws Exception {
        final Path hubDir = dir.resolve("hub");
        final HubConfig hubConfig = TestHub.config(hubDir);
        try (HubService hub = HubService.start(hubConfig)) {
            hijack(hub.scanPort(), 400_000, 800_000, 1_000_000);

            try (GatewayService service = GatewayService.start(gatewayConfig(hub.scanPort(), 100))) {
                final Gateway gateway = service.gateway();
                Await.until(WAIT, () -> metric(gateway, "sorthub_gateway_resume_ahead" + LINE) == 1.0, () -> "resume_ahead alarm");
                assertThat(scan(gateway, 1, 5)).as("the sorter still gets an answer: the fallback")
                    .containsExactly("P1,98", "P2,98", "P3,98", "P4,98", "P5,98");
                assertThat(gateway.spooledSequence()).as("every read kept").isEqualTo(5);
                assertThat(metric(gateway, "sorthub_gateway_spool_backlog" + LINE)).isEqualTo(5.0);
                assertThat(metric(gateway, "sorthub_gateway_hub_connected" + LINE)).isZero();

                final HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.httpPort() + "/health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(503);
                final JsonObject body = new JsonObject(health.body());
                assertThat(body.getString("status")).isEqualTo("DOWN");
                final JsonObject forwarding = body.getJsonArray("checks").stream().map(JsonObject.class::cast)
                    .filter(c -> c.getString("id").equals("forwarding")).findFirst().orElseThrow();
                assertThat(forwarding.getString("status")).isEqualTo("DOWN");
                assertThat(forwarding.getJsonObject("data").getLong("hubResumeSequence")).isEqualTo(1_000_000L);
                assertThat(forwarding.getJsonObject("data").getLong("spoolLastSequence")).isZero();

                final String error = log.lines().stream().filter(l -> l.startsWith("ERROR ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ERROR line: " + log.lines()));
                assertThat(error).contains("up to sequence 1000000").contains("spooled only up to 0")
                    .contains("POST /api/sources/100/reset").contains("new sourceId");
            }
        }
        assertThat(TestHub.readJournal(hubDir)).as("nothing of the gateway's was journaled (or answered DUPLICATE)")
            .extracting(TestHub.Entry::sequence).containsExactly(400_000L, 800_000L, 1_000_000L);

        // The operator's fix: a new source id. The same spool goes through, from its first read.
        try (HubService hub = HubService.start(hubConfig);
             GatewayService service = GatewayService.start(gatewayConfig(hub.scanPort(), 101))) {
            Await.until(WAIT, () -> service.gateway().ackedSequence() == 5, () -> "acked " + service.gateway().ackedSequence());
            assertThat(metric(service.gateway(), "sorthub_gateway_resume_ahead" + LINE)).isZero();
        }
        assertThat(TestHub.readJournal(hubDir).stream().filter(e -> e.sourceId() == 101))
            .extracting(TestHub.Entry::barcode).containsExactly("SF1", "SF2", "SF3", "SF4", "SF5");
    }

    /**
     * Reads spooled while refused must not make the hijacked resume point look valid later,
     * not even after a gateway restart: the refusal is kept beside the spool.
     */
    @Test
    void theRefusalOutlivesARestartEvenWhenTheSpoolHasGrownPastTheHubsNumber() throws Exception {
        final Path hubDir = dir.resolve("hub2");
        try (HubService hub = HubService.start(TestHub.config(hubDir))) {
            hijack(hub.scanPort(), 10);
            try (GatewayService service = GatewayService.start(gatewayConfig(hub.scanPort(), 100))) {
                Await.until(WAIT, () -> metric(service.gateway(), "sorthub_gateway_resume_ahead" + LINE) == 1.0, () -> "alarm");
                scan(service.gateway(), 1, 12); // now the spool (12) is past the hub's 10
            }
            try (GatewayService service = GatewayService.start(gatewayConfig(hub.scanPort(), 100))) {
                Await.until(WAIT, () -> log.lines().stream().filter(l -> l.startsWith("ERROR ")).count() >= 3,
                    () -> "refused again after the restart: " + log.lines());
                assertThat(metric(service.gateway(), "sorthub_gateway_resume_ahead" + LINE)).isEqualTo(1.0);
                assertThat(service.gateway().ackedSequence()).isZero();
            }
        }
        assertThat(TestHub.readJournal(hubDir)).extracting(TestHub.Entry::sequence).containsExactly(10L);
    }
}
