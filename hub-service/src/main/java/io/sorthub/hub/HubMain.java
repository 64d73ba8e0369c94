package io.sorthub.hub;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar hub-service.jar}: starts the hub on its embedded defaults (demo sort
 * plan, journal under ./data, 127.0.0.1). A config file, then flags, override them.
 */
@Command(name = "hub-service", mixinStandardHelpOptions = true, version = "SortHub hub-service 0.1",
    description = "Real-time scan processing for a parcel sorting hub. With no subcommand: run the hub.",
    subcommands = {SortPlanCommand.class, JournalCommand.class, ExportCommand.class})
public final class HubMain implements Callable<Integer> {

    @Option(names = "--config", description = "YAML config file (see docs/OPERATIONS.md)")
    Path configFile;

    @Option(names = "--host", description = "address to bind (default 127.0.0.1)")
    String host;

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
        System.exit(new CommandLine(new HubMain()).execute(args));
    }

    HubConfig config() throws HubConfig.ConfigException {
        final HubConfig config = configFile == null ? new HubConfig() : HubConfig.load(configFile);
        if (host != null) {
            config.host = host;
        }
        if (scanPort != null) {
            config.scanPort = scanPort;
        }
        if (httpPort != null) {
            config.httpPort = httpPort;
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
        config.exitOnFatal = true; // as a process: fail fast, let the supervisor restart and replay
        config.validate("command line");
        return config;
    }

    @Override
    public Integer call() throws Exception {
        final HubConfig config;
        try {
            config = config();
        } catch (HubConfig.ConfigException e) {
            System.err.println("hub-service: " + e.getMessage());
            return 2;
        }
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
                    System.err.println("hub-service: sort plan rejected: " + e.getMessage());
                    return 2;
                } catch (io.sorthub.hub.security.DeviceRegistry.DevicesException
                         | io.sorthub.hub.journal.DataFolderLock.InUseException
                         | io.sorthub.hub.journal.JournalReader.IncompleteReadException e) {
                    System.err.println("hub-service: " + e.getMessage());
                    return 2;
                }
                current[0] = service;
            }
            System.out.printf("SortHub hub-service %s: scans on %s:%d, HTTP on http://%s:%d (/health /ready /metrics)%n",
                first ? "ready" : "restarted as a standby", config.host, service.scanPort(), config.host, service.httpPort());
            if (first) {
                System.out.printf("journal %s: replayed %d events in %d ms; sort plan '%s' version %d%n",
                    service.journalDirectory().toAbsolutePath(), service.replayedEvents(), service.replayMillis(),
                    service.plans().current().name(), service.plans().current().version());
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
