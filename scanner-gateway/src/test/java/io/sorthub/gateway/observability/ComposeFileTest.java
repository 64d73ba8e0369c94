package io.sorthub.gateway.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.gateway.GatewayConfig;
import io.sorthub.hub.cli.HubMain;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * grafana/docker-compose.yml is safe as shipped: its hub runs without TLS, tokens or device
 * credentials, so nothing may be published beyond the machine's loopback; inside, the hub's
 * ports listen on the container's interfaces so that Prometheus and the gateway reach them.
 */
class ComposeFileTest {
    @Test
    void everyPortIsPublishedOnLoopbackOnlyAndTheHubsSettingsAreValid() throws Exception {
        final JsonNode compose = new YAMLMapper().readTree(ObservabilityFiles.GRAFANA.resolve("docker-compose.yml").toFile());
        final List<String> published = new ArrayList<>();
        compose.get("services").fields().forEachRemaining(s -> s.getValue().path("ports")
            .forEach(p -> published.add(s.getKey() + " " + p.asText())));
        assertThat(published).hasSizeGreaterThanOrEqualTo(7).allSatisfy(p -> assertThat(p).contains(" 127.0.0.1:"));

        final List<String> command = new ArrayList<>();
        compose.get("services").get("hub").get("command").forEach(c -> command.add(c.asText()));
        final List<String> args = command.subList(command.indexOf("/app/hub-service.jar") + 1, command.size());
        assertThat(args).containsSubsequence("--http-host", "0.0.0.0").doesNotContain("--api-tokens-file");
        HubMain.commandLine().parseArgs(args.toArray(String[]::new)); // every flag is the hub's

        final GatewayConfig gateway = GatewayConfig.load(ObservabilityFiles.GRAFANA.resolve("gateway-compose.yaml"));
        assertThat(gateway.hubHost).isEqualTo("hub");
    }
}
