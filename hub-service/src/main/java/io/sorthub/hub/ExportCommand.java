package io.sorthub.hub;

import io.sorthub.hub.export.KafkaExport;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.metrics.HubMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code hub-service export-kafka}: the journal exporter in a process of its own, beside a
 * running hub (Chronicle readers in other processes never block the writer). Its garbage
 * and its CPU then stay out of the hub's JVM; the hub's retention still keeps every cycle it
 * has not exported, from its position file. Metrics on its own HTTP port.
 */
@Command(name = "export-kafka", mixinStandardHelpOptions = true,
    description = "Export a hub's journal to Kafka from a process of its own (docs/EXPORT.md).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "data", description = "the hub's data folder (default ./data)")
    Path dataDir;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "sorthub.scans")
    String topic;

    @Option(names = "--name", defaultValue = "kafka", description = "the exporter's name: its position file")
    String name;

    @Option(names = "--hub-id", defaultValue = "demo-hub", description = "the hub's name in every record")
    String hubId;

    @Option(names = "--roll-cycle", defaultValue = Journal.DEFAULT_ROLL_CYCLE, description = "the hub's journalRollCycle")
    String rollCycle;

    @Option(names = "--producer", paramLabel = "KEY=VALUE", description = "a Kafka producer setting (repeatable)")
    Map<String, String> producer = new LinkedHashMap<>();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address of the metrics port")
    String host;

    @Option(names = "--http-port", defaultValue = "7490", description = "/metrics and /health (0 = any free port)")
    int httpPort;

    @Override
    public Integer call() throws Exception {
        final HubConfig settings = new HubConfig();
        settings.hubId = hubId;
        settings.exportKafkaBootstrap = bootstrap;
        settings.exportTopic = topic;
        settings.exportName = name;
        settings.exportKafkaProperties = producer;
        settings.journalRollCycle = rollCycle;
        try {
            settings.validate("command line");
        } catch (HubConfig.ConfigException e) {
            System.err.println("hub-service export-kafka: " + e.getMessage());
            return 2;
        }
        final Path journalDir = dataDir.resolve("journal");
        if (!Files.isDirectory(journalDir)) {
            System.err.println("hub-service export-kafka: no journal at " + journalDir.toAbsolutePath());
            return 2;
        }
        final Journal journal;
        try {
            journal = Journal.openForReading(journalDir, rollCycle);
        } catch (java.io.IOException e) {
            System.err.println("hub-service export-kafka: " + e.getMessage());
            return 3;
        }
        final HubMetrics metrics = HubMetrics.exporter();
        final KafkaExport export = new KafkaExport(settings.exportSettings(), journal, dataDir.resolve("export"), metrics, null);
        final Vertx vertx = Vertx.vertx();
        final HttpServer http = vertx.createHttpServer().requestHandler(request -> {
            switch (request.path()) {
                case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
                case "/health" -> request.response().end("UP\n");
                default -> request.response().setStatusCode(404).end();
            }
        });
        http.listen(httpPort, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            export.close(); // stores the position
            vertx.close();
            journal.close();
            stopped.countDown();
        }, "export-shutdown"));
        System.out.printf("SortHub export-kafka ready: journal %s to %s topic %s as hub '%s'; metrics on http://%s:%d/metrics%n",
            journalDir.toAbsolutePath(), bootstrap, topic, hubId, host, http.actualPort());
        stopped.await();
        return 0;
    }
}
