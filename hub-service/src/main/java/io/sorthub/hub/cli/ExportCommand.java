package io.sorthub.hub.cli;

import io.sorthub.hub.HubConfig;

import io.sorthub.hub.export.KafkaExport;
import io.sorthub.hub.journal.Journal;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.kit.cli.CommandFailure;
import io.sorthub.kit.cli.ExitCodes;
import io.sorthub.kit.cli.FileProblems;
import io.sorthub.kit.http.HealthEndpoint;
import io.sorthub.kit.http.JsonErrors;
import io.sorthub.kit.http.PrometheusEndpoint;
import io.sorthub.kit.log.LogFormat;
import io.sorthub.kit.net.ListenFailure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.sorthub.hub.HubContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code hub-service export-kafka}: the journal exporter in a process of its own, beside a
 * running hub (Chronicle readers in other processes never block the writer). Its garbage
 * and its CPU then stay out of the hub's JVM; the hub's retention still keeps every cycle it
 * has not exported, from its position file. Metrics and health on its own HTTP port. Its
 * settings are the hub's export keys: from a config file in the hub's format, the
 * environment ({@code SORTHUB_EXPORT_KAFKA_PROPERTIES}...), then flags; Kafka secrets belong
 * in the first two or in {@code --producer-config}, where {@code ps} does not show them.
 */
@Command(name = "export-kafka", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Export a hub's journal to Kafka from a process of its own (docs/EXPORT.md).",
    footerHeading = "%n",
    footer = "Settings: the hub's export keys from --config (a file in the hub's config format), then the environment "
        + "(SORTHUB_DATA_DIR, SORTHUB_HUB_ID, SORTHUB_EXPORT_KAFKA_BOOTSTRAP, SORTHUB_EXPORT_TOPIC, SORTHUB_EXPORT_NAME, "
        + "SORTHUB_EXPORT_KAFKA_PROPERTIES, SORTHUB_JOURNAL_ROLL_CYCLE), then --producer-config, then flags.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
        description = "a config file in the hub's format: dataDir, hubId, journalRollCycle and the export keys "
            + "(exportKafkaBootstrap, exportTopic, exportName, exportKafkaProperties) are taken from it")
    Path configFile;

    @Option(names = "--data-dir", description = "the hub's data folder (default: dataDir of the config, else ./data)")
    Path dataDir;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT]",
        description = "Kafka bootstrap servers (default: exportKafkaBootstrap of the config; one or the other is needed)")
    String bootstrap;

    @Option(names = "--topic", description = "the Kafka topic the records go to (default: exportTopic of the config, else "
        + "sorthub.scans)")
    String topic;

    @Option(names = "--name", description = "the exporter's name, which names its position file "
        + "DATADIR/export/NAME.position (default: exportName of the config, else kafka)")
    String name;

    @Option(names = "--hub-id", description = "the hub's name in every record (default: hubId of the config, else demo-hub)")
    String hubId;

    @Option(names = "--roll-cycle", description = "the hub's journalRollCycle (default: that of the config, else "
        + Journal.DEFAULT_ROLL_CYCLE + ")")
    String rollCycle;

    @Option(names = "--producer-config", paramLabel = "FILE",
        description = "Kafka producer settings as a properties file, as Kafka's own tools take them (security.protocol, "
            + "sasl.jaas.config, ssl.*): over exportKafkaProperties")
    Path producerConfig;

    @Option(names = "--producer", paramLabel = "KEY=VALUE",
        description = "a Kafka producer setting (repeatable), over all others; visible in ps, so no secrets here")
    Map<String, String> producer = new LinkedHashMap<>();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address of the metrics and health port")
    String host;

    @Option(names = "--http-port", defaultValue = "7490", description = "port of /metrics and /health (0 = any free port)")
    int httpPort;

    @Option(names = "--log-format", paramLabel = "text|json",
        description = "log lines as text (default) or one JSON object each (env SORTHUB_LOG_FORMAT)")
    String logFormat;

    /** Where the SORTHUB_ variables come from; tests give their own. */
    Map<String, String> environment = System.getenv();

    /** The export settings: the hub's keys from file and environment, then the producer file, then flags. */
    HubConfig settings() throws HubConfig.ConfigException {
        final HubConfig settings = HubConfig.environment(configFile == null ? new HubConfig() : HubConfig.load(configFile),
            environment);
        if (dataDir != null) {
            settings.dataDir = dataDir.toString();
        }
        if (bootstrap != null) {
            settings.exportKafkaBootstrap = bootstrap;
        }
        if (topic != null) {
            settings.exportTopic = topic;
        }
        if (name != null) {
            settings.exportName = name;
        }
        if (hubId != null) {
            settings.hubId = hubId;
        }
        if (rollCycle != null) {
            settings.journalRollCycle = rollCycle;
        }
        final Map<String, String> properties = new LinkedHashMap<>(settings.exportKafkaProperties);
        if (producerConfig != null) {
            final Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(producerConfig)) {
                file.load(in);
            } catch (IOException e) {
                throw new HubConfig.ConfigException("--producer-config " + FileProblems.describe(e));
            }
            // It holds the broker's credentials (sasl.jaas.config, ssl.key.password): the owner's alone.
            final io.sorthub.kit.fs.SecretFile.Problem problem = io.sorthub.kit.fs.SecretFile.check("--producer-config",
                producerConfig);
            if (problem != null && problem.refuse()) {
                throw new HubConfig.ConfigException(problem.message());
            }
            if (problem != null) {
                org.slf4j.LoggerFactory.getLogger(ExportCommand.class).warn("SECRETS EXPOSED: {}", problem.message());
            }
            file.stringPropertyNames().forEach(key -> properties.put(key, file.getProperty(key)));
        }
        properties.putAll(producer);
        settings.exportKafkaProperties = properties;
        if (settings.exportKafkaBootstrap == null) {
            throw new HubConfig.ConfigException("no Kafka to export to: give --bootstrap, exportKafkaBootstrap in --config, "
                + "or SORTHUB_EXPORT_KAFKA_BOOTSTRAP");
        }
        settings.validate("command line");
        return settings;
    }

    @Override
    public Integer call() throws Exception {
        LogFormat.select(logFormat, environment);
        final HubConfig settings = settings();
        final Path data = Path.of(settings.dataDir);
        final Path journalDir = data.resolve("journal");
        if (!Files.isDirectory(journalDir)) {
            throw CommandFailure.usage("no journal at " + journalDir.toAbsolutePath() + " (--data-dir, or dataDir in --config)");
        }
        final Journal journal;
        try {
            journal = Journal.openForReading(journalDir, settings.journalRollCycle);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.UNREADABLE, "journal " + journalDir + ": " + FileProblems.describe(e));
        }
        final HubMetrics metrics = HubMetrics.exporter();
        final HubContext context = new HubContext(settings).conclude(); // the hub's idle strategy and clocks
        final KafkaExport export = new KafkaExport(settings.exportSettings(), journal, data.resolve("export"), metrics, null,
            context.exportIdleStrategy(), context.clocks());
        final Vertx vertx = Vertx.vertx();
        final Router router = Router.router(vertx);
        JsonErrors.install(router);
        router.get("/metrics").handler(PrometheusEndpoint.of(metrics::scrape));
        // DOWN while the broker does not take the records: the export is stalled, whatever the process does.
        router.get("/health").handler(HealthEndpoint.of(HealthChecks.create(vertx).register("broker", promise ->
            promise.complete(new Status().setOk(export.agent().brokerAvailable()).setData(new JsonObject()
                .put("bootstrap", settings.exportKafkaBootstrap).put("topic", settings.exportTopic)
                .put("lagEvents", export.agent().lagEvents())))), rc -> true));
        final HttpServer http;
        try {
            http = vertx.createHttpServer().requestHandler(router).listen(httpPort, host)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            export.close();
            vertx.close();
            journal.close();
            throw ListenFailure.explain("--http-port", host, httpPort, e);
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            export.close(); // stores the position
            vertx.close();
            journal.close();
            LoggerFactory.getLogger(ExportCommand.class).info("SortHub export-kafka stopped: position stored");
            stopped.countDown();
        }, "export-shutdown"));
        LoggerFactory.getLogger(ExportCommand.class).info(
            "SortHub export-kafka ready: journal {} to {} topic {} as hub '{}'; metrics on http://{}:{}/metrics",
            journalDir.toAbsolutePath(), settings.exportKafkaBootstrap, settings.exportTopic, settings.hubId, host,
            http.actualPort());
        stopped.await();
        return ExitCodes.OK;
    }
}
