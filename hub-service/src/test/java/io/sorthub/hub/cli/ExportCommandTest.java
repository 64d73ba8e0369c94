package io.sorthub.hub.cli;

import io.sorthub.hub.ChildHub;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.whatif.KnownTraffic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code hub-service export-kafka}: its settings from the places secrets may live, and a health that tells the truth. */
@Timeout(90)
class ExportCommandTest {
    @TempDir
    Path dir;
    private final Map<String, String> environment = new HashMap<>();

    private HubConfig settings(String... args) throws Exception {
        final CommandLine cl = HubMain.commandLine();
        final CommandLine.ParseResult parsed = cl.parseArgs(args);
        final ExportCommand command = (ExportCommand) parsed.subcommand().commandSpec().userObject();
        command.environment = environment;
        return command.settings();
    }

    @Test
    void settingsComeFromTheHubsConfigTheEnvironmentAProducerFileAndFlagsInThatOrder() throws Exception {
        final Path config = Files.writeString(dir.resolve("hub.yaml"), """
            dataDir: /var/lib/sorthub
            hubId: SZ-01
            exportKafkaBootstrap: kafka-1:9092
            exportTopic: from-file
            exportKafkaProperties: {security.protocol: SASL_SSL, linger.ms: "20"}
            """);
        environment.put("SORTHUB_EXPORT_KAFKA_PROPERTIES", "{security.protocol: SASL_SSL, sasl.mechanism: PLAIN, linger.ms: \"30\"}");
        environment.put("SORTHUB_EXPORT_NAME", "from-env");
        final Path producer = Files.writeString(dir.resolve("producer.properties"),
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";\n"
                + "linger.ms=40\n");
        final HubConfig s = settings("export-kafka", "--config", config.toString(), "--producer-config", producer.toString(),
            "--producer", "linger.ms=50", "--topic", "from-flag");
        assertThat(s.dataDir).isEqualTo("/var/lib/sorthub");
        assertThat(s.hubId).isEqualTo("SZ-01");
        assertThat(s.exportKafkaBootstrap).isEqualTo("kafka-1:9092");
        assertThat(s.exportName).isEqualTo("from-env");
        assertThat(s.exportTopic).isEqualTo("from-flag");
        assertThat(s.exportKafkaProperties).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
            .containsEntry("linger.ms", "50").containsKey("sasl.jaas.config");
    }

    @Test
    void withoutABrokerAnywhereItSaysWhereToGiveOne() {
        assertThatThrownBy(() -> settings("export-kafka")).hasMessage("no Kafka to export to: give --bootstrap, "
            + "exportKafkaBootstrap in --config, or SORTHUB_EXPORT_KAFKA_BOOTSTRAP");
        assertThatThrownBy(() -> settings("export-kafka", "--bootstrap", "k:9092", "--producer-config", "nope.properties"))
            .hasMessage("--producer-config nope.properties: no such file or directory");
    }

    @Test
    void healthIsDownWhileNoBrokerTakesTheRecords() throws Exception {
        final Path data = dir.resolve("data");
        KnownTraffic.record(data.resolve("journal"));
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // nothing listens there once closed
        }
        final ChildHub exporter = ChildHub.exporter(data, "--bootstrap", "127.0.0.1:" + deadPort);
        try {
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final URI health = URI.create("http://127.0.0.1:" + exporter.httpPort + "/health");
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> answer;
            do {
                answer = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 503) {
                    break;
                }
                Thread.sleep(100); // polling a child process's HTTP port against a deadline
            } while (System.nanoTime() < deadline);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            final JsonObject body = new JsonObject(answer.body());
            assertThat(body.getString("status")).isEqualTo("DOWN");
            assertThat(body.getJsonArray("checks").getJsonObject(0).getString("id")).isEqualTo("broker");
            assertThat(exporter.output).anyMatch(l -> l.contains("SortHub export-kafka ready"));
            final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + exporter.httpPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("\nsorthub_export_broker_up");
        } finally {
            exporter.close();
        }
        assertThat(exporter.output).anyMatch(l -> l.contains("SortHub export-kafka stopped"));
    }
}
