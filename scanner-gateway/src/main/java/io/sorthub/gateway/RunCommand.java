package io.sorthub.gateway;

import io.sorthub.gateway.device.DeviceMode;
import io.sorthub.kit.cli.ExitCodes;
import io.sorthub.kit.cli.HostPort;
import io.sorthub.kit.cli.ProjectVersion;
import io.sorthub.kit.log.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scanner-gateway run [--config gateway.yaml]}: the gateway beside a sorter line. A
 * config file, then {@code SORTHUB_GATEWAY_<KEY>} variables, then flags override the defaults.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the gateway: native scanner input, local spool, forwarding to hub-service.",
    footerHeading = "%n",
    footer = "Every key of the config file is also an environment variable: SORTHUB_GATEWAY_ and the key in capitals "
        + "with underscores (hubs: SORTHUB_GATEWAY_HUBS=hub-a:7400,hub-b:7400; spoolDir: SORTHUB_GATEWAY_SPOOL_DIR). "
        + "Flags win over the environment, the environment over the file, the file over the defaults.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", description = "gateway YAML (default: demo, source 100, generic-csv scanner on 127.0.0.1:7600)")
    Path configFile;

    @Option(names = "--hub", paramLabel = "HOST:PORT", split = ",",
        description = "hub-service address, or the instances of a hub pair HOST:PORT,HOST:PORT (default 127.0.0.1:7400)")
    List<HostPort> hub;

    @Option(names = "--spool-dir", description = "spool folder (default gateway-data/spool)")
    String spoolDir;

    @Option(names = "--http-host", description = "address of /metrics and /health (default 127.0.0.1)")
    String httpHost;

    @Option(names = "--log-format", paramLabel = "text|json",
        description = "log lines as text (default) or one JSON object each (env SORTHUB_LOG_FORMAT)")
    String logFormat;

    /** Where the SORTHUB_GATEWAY_ variables come from; tests give their own. */
    Map<String, String> environment = System.getenv();

    GatewayConfig config() throws GatewayConfig.ConfigException {
        final GatewayConfig config = GatewayConfig.environment(
            configFile == null ? new GatewayConfig() : GatewayConfig.load(configFile), environment);
        if (hub != null) {
            config.hubs = hub.stream().map(HostPort::toString).toList();
        }
        if (spoolDir != null) {
            config.spoolDir = spoolDir;
        }
        if (httpHost != null) {
            config.httpHost = httpHost;
        }
        if (configFile != null && !config.credential.isEmpty()) {
            final io.sorthub.kit.fs.SecretFile.Problem problem = io.sorthub.kit.fs.SecretFile.check("config", configFile);
            if (problem != null && problem.refuse()) {
                throw new GatewayConfig.ConfigException(problem.message().replace("the secrets", "the credential"));
            }
            if (problem != null) {
                LoggerFactory.getLogger(RunCommand.class).warn("SECRETS EXPOSED: {}",
                    problem.message().replace("the secrets", "the credential"));
            }
        }
        config.validate("command line");
        return config;
    }

    @Override
    public Integer call() throws Exception {
        LogFormat.select(logFormat, environment);
        final GatewayConfig config = config();
        final Logger log = LoggerFactory.getLogger(RunCommand.class);
        GatewayConfig.unknownVariables(environment).forEach(v -> log.warn("environment variable {} is not a setting: ignored", v));
        final GatewayService service = GatewayService.start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            LoggerFactory.getLogger(RunCommand.class).info("SortHub scanner-gateway stopped: spool {} closed; {} reads "
                + "spooled, the hub acknowledged up to {}", config.spoolDir, service.gateway().spooledSequence(),
                service.gateway().ackedSequence());
            stopped.countDown();
        }, "gateway-shutdown"));
        log.info("SortHub scanner-gateway {} ready: source {} '{}' -> hub {} ({}); spool {}; metrics http://{}:{}/metrics",
            ProjectVersion.version(), config.sourceId, config.name, String.join(" or ", config.hubAddresses()),
            (config.hubTrustFile != null ? "TLS, hub certificate checked" : "plain TCP")
                + (config.credential.isEmpty() ? ", no credential" : ", with a credential"),
            config.spoolDir, config.httpHost, service.httpPort());
        for (GatewayConfig.Device d : config.devices) {
            final var profile = GatewayConfig.profile(d);
            log.info("  device {} ({} {}, {} {}:{}, {})", d.name, profile.name(), profile.framing().describe(),
                d.mode.text(), d.host, d.mode == DeviceMode.LISTEN ? service.gateway().devicePort(d.name) : d.port, d.kind);
        }
        stopped.await();
        return ExitCodes.OK;
    }
}
