package io.sorthub.hub.cli;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;

import io.sorthub.kit.cli.CommandFailure;
import io.sorthub.kit.cli.CommandLines;
import io.sorthub.kit.cli.ExitCodes;
import io.sorthub.kit.cli.ProjectVersion;
import io.sorthub.kit.log.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar hub-service.jar}: starts the hub on its embedded defaults (demo sort
 * plan, journal under ./data, 127.0.0.1). A config file, then environment variables, then
 * flags override them. No logger before the log format is chosen ({@link LogFormat}).
 */
@Command(name = "hub-service", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "Real-time scan processing for a parcel sorting hub. With no subcommand: run the hub.",
    subcommands = {SortPlanCommand.class, JournalCommand.class, ExportCommand.class},
    footerHeading = "%nSettings and exit codes (docs/OPERATIONS.md):%n",
    footer = {"Every key of the config file is also an environment variable: SORTHUB_ and the key in capitals with "
        + "underscores (scanPort: SORTHUB_SCAN_PORT, tlsCertFile: SORTHUB_TLS_CERT_FILE). Flags win over the "
        + "environment, the environment over the file, the file over the defaults.",
        "Exit codes: 0 stopped; 2 bad flags, settings, files or a port that cannot be opened; 3 the journal cannot "
            + "be read whole; 70 the journal writer failed or an internal error (restart: replay recovers)."})
public final class HubMain implements Callable<Integer> {

    @Option(names = "--config", description = "YAML config file (see docs/OPERATIONS.md)")
    Path configFile;

    @Option(names = "--log-format", paramLabel = "text|json",
        description = "log lines as text (default) or one JSON object each (env SORTHUB_LOG_FORMAT)")
    String logFormat;

    @Option(names = CommandLines.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
        description = "on an error, print its stack trace too")
    boolean verbose;

    /** Where the SORTHUB_ variables come from; tests give their own. */
    Map<String, String> environment = System.getenv();

    @Option(names = "--host", description = "address of the scan port (default 127.0.0.1)")
    String host;

    @Option(names = "--http-host", description = "address of the HTTP port: API, /metrics, /health (default 127.0.0.1)")
    String httpHost;

    @Option(names = "--http-access-log", description = "log one line per HTTP request (off by default)")
    Boolean httpAccessLog;

    @Option(names = "--scan-port", description = "TCP port for scanners and gateways (default 7400; 0 = any free)")
    Integer scanPort;

    @Option(names = "--http-port", description = "HTTP port for /health, /ready, /metrics (default 7480)")
    Integer httpPort;

    @Option(names = "--data-dir", description = "folder holding the journal (default ./data)")
    String dataDir;

    @Option(names = "--sort-plan", description = "sort plan YAML file (default: the built-in demo plan)")
    String sortPlan;

    @Option(names = "--devices-file", description = "sources allowed to connect and their credentials (docs/OPERATIONS.md)")
    String devicesFile;

    @Option(names = "--api-tokens-file", description = "HTTP API bearer tokens and roles (docs/OPERATIONS.md)")
    String apiTokensFile;

    @Option(names = "--export-kafka", paramLabel = "BOOTSTRAP",
        description = "export the journal to Kafka at these bootstrap servers (docs/EXPORT.md)")
    String exportKafka;

    @Option(names = "--hub-id", description = "this hub's name in exported records (default demo-hub)")
    String hubId;

    @Option(names = "--pair-bootstrap", paramLabel = "BOOTSTRAP",
        description = "run as an instance of a hub pair replicated through the Kafka cluster at these servers (docs/HA.md)")
    String pairBootstrap;

    @Option(names = "--pair-name", description = "the hub pair's name, the same on every instance (default: the hub id)")
    String pairName;

    @Option(names = "--pair-instance", description = "this instance's name within the pair (default: the host name)")
    String pairInstance;

    @Option(names = "--durability", paramLabel = "sync|pagecache",
        description = "what an ACK promises: sync (forced to disk, survives a power cut; default) or pagecache "
            + "(survives a crash of the process only)")
    String durability;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The hub's command line with its subcommands, one-line errors and exit codes ({@link ExitCodes}). */
    public static CommandLine commandLine() {
        return CommandLines.create(new HubMain(), HubConfig.ConfigException.class,
            io.sorthub.hub.security.DeviceRegistry.DevicesException.class,
            io.sorthub.hub.journal.DataFolderLock.InUseException.class,
            io.sorthub.hub.pair.PairTopics.UnsafeTopicException.class);
    }

    HubConfig config() throws HubConfig.ConfigException {
        final HubConfig defaults = new HubConfig();
        defaults.exitOnFatal = true; // as a process: fail fast, let the supervisor restart and replay
        final HubConfig config = HubConfig.environment(configFile == null ? defaults : HubConfig.load(configFile, defaults),
            environment);
        if (host != null) {
            config.host = host;
        }
        if (scanPort != null) {
            config.scanPort = scanPort;
        }
        if (httpPort != null) {
            config.httpPort = httpPort;
        }
        if (httpHost != null) {
            config.httpHost = httpHost;
        }
        if (httpAccessLog != null) {
            config.httpAccessLog = httpAccessLog;
        }
        if (dataDir != null) {
            config.dataDir = dataDir;
        }
        if (sortPlan != null) {
            config.sortPlan = sortPlan;
        }
        if (devicesFile != null) {
            config.devicesFile = devicesFile;
        }
        if (apiTokensFile != null) {
            config.apiTokensFile = apiTokensFile;
        }
        if (exportKafka != null) {
            config.exportKafkaBootstrap = exportKafka;
        }
        if (hubId != null) {
            config.hubId = hubId;
        }
        if (durability != null) {
            config.durability = durability;
        }
        if (pairBootstrap != null) {
            config.pairBootstrap = pairBootstrap;
        }
        if (pairName != null) {
            config.pairName = pairName;
        }
        if (pairInstance != null) {
            config.pairInstance = pairInstance;
        }
        config.validate("command line");
        return config;
    }

    @Override
    public Integer call() throws Exception {
        LogFormat.select(logFormat, environment);
        final HubConfig config = config();
        final Logger log = LoggerFactory.getLogger(HubMain.class);
        HubConfig.unknownVariables(environment).forEach(v -> log.warn("environment variable {} is not a setting: ignored", v));
        final java.util.concurrent.CompletableFuture<Void> stop = new java.util.concurrent.CompletableFuture<>();
        final Object lifecycle = new Object();
        final HubService[] current = new HubService[1];
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (lifecycle) {
                stop.complete(null);
                if (current[0] != null) {
                    current[0].close();
                }
            }
            stopped.countDown();
        }, "hub-shutdown"));
        boolean first = true;
        while (true) {
            final HubService service;
            synchronized (lifecycle) {
                if (stop.isDone()) {
                    break;
                }
                try {
                    service = HubService.start(config);
                } catch (io.sorthub.hub.routing.compile.SortPlanException e) {
                    throw CommandFailure.usage("sort plan rejected: " + e.getMessage());
                } catch (io.sorthub.hub.journal.JournalReader.IncompleteReadException e) {
                    throw new CommandFailure(ExitCodes.UNREADABLE, e.getMessage());
                }
                current[0] = service;
            }
            log.info(StartLine.of(config, service, first));
            if (first) {
                log.info("journal {}: replayed {} events in {} ms; sort plan '{}' version {}; durability {}",
                    service.journalDirectory().toAbsolutePath(), service.replayedEvents(), service.replayMillis(),
                    service.plans().current().name(), service.plans().current().version(), config.durability().label());
            }
            first = false;
            // A restart to rejoin the pair binds the same ports: sources and monitoring dial those.
            config.scanPort = service.scanPort();
            config.httpPort = service.httpPort();
            java.util.concurrent.CompletableFuture.anyOf(stop, service.rejoin()).join();
            synchronized (lifecycle) {
                if (stop.isDone()) {
                    break;
                }
                // A hub pair's instance that stepped down: restart on the same data folder as a standby.
                service.close();
                current[0] = null;
            }
        }
        stopped.await();
        return 0;
    }
}
