package io.sorthub.gateway;

import io.sorthub.gateway.device.DeviceMode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a gateway's settings open beyond this machine without a guard, said at start: device
 * ports take reads from anyone who reaches them (scanners have no authentication), /metrics
 * and /health have none either, and a credential sent to the hub without TLS can be read on
 * the wire.
 */
final class GatewayExposure {
    private GatewayExposure() {
    }

    static List<String> warnings(GatewayConfig config) {
        final List<String> warnings = new ArrayList<>();
        for (GatewayConfig.Device device : config.devices) {
            if (device.mode == DeviceMode.LISTEN && !isLoopback(device.host)) {
                warnings.add("device " + device.name + " listens on " + device.host + ":" + device.port
                    + " without authentication: anything that reaches it can inject reads; keep it on the sorter "
                    + "network, behind a firewall that admits the scanners only");
            }
        }
        if (!isLoopback(config.httpHost)) {
            warnings.add("/metrics and /health on " + config.httpHost + ":" + config.httpPort + " have no authentication: "
                + "keep httpHost on 127.0.0.1 unless a scraper elsewhere needs them, and firewall it to that scraper");
        }
        final boolean remoteHub = config.hubAddresses().stream()
            .anyMatch(a -> !isLoopback(io.sorthub.kit.cli.HostPort.parse(a).host()));
        if (config.hubTrustFile == null && !config.credential.isEmpty() && remoteHub) {
            warnings.add("PLAIN TEXT hub link: the credential for source " + config.sourceId + " crosses the network "
                + "unencrypted to " + String.join(", ", config.hubAddresses()) + " and the hub is not verified; "
                + "set hubTrustFile (the hub then needs tlsCertFile and tlsKeyFile)");
        }
        return warnings;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
