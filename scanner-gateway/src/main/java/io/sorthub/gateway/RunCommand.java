package io.sorthub.gateway;

import io.sorthub.gateway.device.DeviceMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code scanner-gateway run [--config gateway.yaml]}: the gateway beside a sorter line. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the gateway: native scanner input, local spool, forwarding to hub-service.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", description = "gateway YAML (default: demo, source 100, generic-csv scanner on 127.0.0.1:7600)")
    Path configFile;

    @Option(names = "--hub", description = "hub-service address HOST:PORT, or the instances of a hub pair HOST:PORT,HOST:PORT (default 127.0.0.1:7400)")
    String hub;

    @Option(names = "--spool-dir", description = "spool folder (default gateway-data/spool)")
    String spoolDir;

    @Override
    public Integer call() throws Exception {
        final GatewayConfig config;
        try {
            config = configFile == null ? new GatewayConfig() : GatewayConfig.load(configFile);
            if (hub != null) {
                config.hubs = java.util.List.of(hub.split(","));
            }
            if (spoolDir != null) {
                config.spoolDir = spoolDir;
            }
            config.validate("command line");
        } catch (GatewayConfig.ConfigException | NumberFormatException e) {
            System.err.println("scanner-gateway: " + e.getMessage());
            return 2;
        }
        final GatewayService service = GatewayService.start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.printf("SortHub scanner-gateway ready: source %d '%s' -> hub %s; spool %s; metrics http://%s:%d/metrics%n",
            config.sourceId, config.name, String.join(" or ", config.hubAddresses()), config.spoolDir, config.httpHost,
            service.httpPort());
        for (GatewayConfig.Device d : config.devices) {
            final var profile = GatewayConfig.profile(d);
            System.out.printf("  device %s (%s %s, %s %s:%d, %s)%n", d.name, profile.name(), profile.framing().describe(),
                d.mode.text(), d.host, d.mode == DeviceMode.LISTEN ? service.gateway().devicePort(d.name) : d.port, d.kind);
        }
        stopped.await();
        return 0;
    }
}
