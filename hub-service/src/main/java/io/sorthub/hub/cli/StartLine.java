package io.sorthub.hub.cli;

import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;

import io.sorthub.kit.cli.ProjectVersion;

/**
 * What a hub says when it is ready: its version, where it listens (https:// when TLS is on),
 * which protections are on, so that an operator sees at a glance a hub that came up open, and
 * whether its event loops run on Linux's epoll or fell back to Java's NIO.
 */
final class StartLine {
    private StartLine() {
    }

    static String of(HubConfig config, HubService service, boolean first) {
        final boolean tls = config.tlsCertFile != null;
        return String.format("SortHub hub-service %s %s: scans on %s:%d, HTTP on %s://%s:%d (/health /ready /metrics /api); "
                + "%s; %s; %s; event loops on %s", ProjectVersion.version(), first ? "ready" : "restarted as a standby", config.host,
            service.scanPort(), tls ? "https" : "http", config.httpHost, service.httpPort(),
            tls ? "TLS on both ports" : "TLS off",
            config.apiTokensFile != null ? "API tokens required (" + config.apiTokensFile + ")" : "API tokens off (open API)",
            config.devicesFile != null ? "device credentials required (" + config.devicesFile + ")"
                : "device credentials off (any source may connect)",
            service.eventLoopTransport());
    }
}
