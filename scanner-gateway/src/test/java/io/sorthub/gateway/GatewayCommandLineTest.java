package io.sorthub.gateway;

import io.sorthub.test.StandardStreams;
import io.sorthub.kit.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code scanner-gateway run} as an operator meets it: file, environment and flags, and one-line errors naming the key. */
@Timeout(60)
class GatewayCommandLineTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> environment = new HashMap<>();

    private int run(String... args) {
        return StandardStreams.capture(out, err, () -> {
            final CommandLine cl = GatewayMain.commandLine();
            cl.getSubcommands().get("run").getCommand();
            ((RunCommand) cl.getSubcommands().get("run").getCommand()).environment = environment;
            cl.setErr(new PrintWriter(System.err, true));
            cl.setOut(new PrintWriter(System.out, true));
            return cl.execute(args);
        });
    }

    private String errorLine() {
        return StandardStreams.errorLine(err);
    }

    private GatewayConfig config(String... args) throws Exception {
        final CommandLine cl = GatewayMain.commandLine();
        final CommandLine.ParseResult parsed = cl.parseArgs(args);
        final RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        run.environment = environment;
        return run.config();
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        final Path file = Files.writeString(dir.resolve("gateway.yaml"), "sourceId: 7\nname: line-7\nspoolDir: /from/file\n");
        environment.put("SORTHUB_GATEWAY_SPOOL_DIR", "/from/env");
        environment.put("SORTHUB_GATEWAY_HUBS", "hub-a:7400, hub-b:7401");
        environment.put("SORTHUB_GATEWAY_NAME", "line-env");
        final GatewayConfig config = config("run", "--config", file.toString(), "--spool-dir", "/from/flag");
        assertThat(config.sourceId).isEqualTo(7);
        assertThat(config.name).isEqualTo("line-env");
        assertThat(config.hubAddresses()).containsExactly("hub-a:7400", "hub-b:7401");
        assertThat(config.spoolDir).isEqualTo("/from/flag");
        assertThat(config("run", "--hub", "[::1]:7400,hub-c:1").hubAddresses()).containsExactly("[::1]:7400", "hub-c:1");
        assertThat(GatewayConfig.variables()).containsEntry("hubPort", "SORTHUB_GATEWAY_HUB_PORT")
            .containsEntry("devices", "SORTHUB_GATEWAY_DEVICES");
        environment.put("SORTHUB_GATEWAY_HUB_PROT", "1");
        assertThat(GatewayConfig.unknownVariables(environment))
            .containsExactly("SORTHUB_GATEWAY_HUB_PROT (did you mean SORTHUB_GATEWAY_HUB_PORT?)");
    }

    @Test
    void aPortOutOfRangeNamesItsKey() throws Exception {
        final Path hubPort = Files.writeString(dir.resolve("a.yaml"), "hubPort: 260000\n");
        assertThatThrownBy(() -> config("run", "--config", hubPort.toString()))
            .hasMessage(hubPort + ": hubPort 260000 is not a TCP port (1..65535)");
        final Path devicePort = Files.writeString(dir.resolve("b.yaml"), "devices:\n  - {name: t1, port: 260003}\n");
        assertThatThrownBy(() -> config("run", "--config", devicePort.toString()))
            .hasMessage(devicePort + ": device 't1': port 260003 is not a TCP port (0..65535; 0 picks a free one)");
        final Path hubs = Files.writeString(dir.resolve("c.yaml"), "hubs: [hub-a:7400, hub-b]\n");
        assertThatThrownBy(() -> config("run", "--config", hubs.toString()))
            .hasMessage(hubs + ": hubs: 'hub-b' is not HOST:PORT with a port of 1..65535 (e.g. 127.0.0.1:7400)");
        environment.put("SORTHUB_GATEWAY_HTTP_PORT", "99999");
        assertThatThrownBy(() -> config("run"))
            .hasMessage("environment SORTHUB_GATEWAY_HTTP_PORT: httpPort 99999 is not a TCP port (0..65535; 0 picks a free one)");
    }

    @Test
    void mistakesAreOneLineWithTheExitCode() {
        assertThat(run("run", "--hub", "foo")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("scanner-gateway run: Invalid value for option '--hub'")
            .contains("'foo' is not HOST:PORT with a port of 1..65535");
        err.reset();
        assertThat(run("run", "--config", "nope.yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("scanner-gateway run: cannot read config file nope.yaml: no such file or directory");
        err.reset();
        assertThat(run("simulate", "--native", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).contains("'127.0.0.1' is not HOST:PORT");
    }

    @Test
    void aPortInUseNamesTheSettingThatAskedForIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final int port = taken.getLocalPort();
            final GatewayConfig http = new GatewayConfig();
            http.spoolDir = dir.resolve("a").toString();
            http.httpPort = port;
            http.devices.get(0).port = 0;
            assertThatThrownBy(() -> GatewayService.start(http)).hasMessage("cannot listen on 127.0.0.1:" + port
                + " (httpPort): port " + port + " is in use by another process");
            final GatewayConfig device = new GatewayConfig();
            device.spoolDir = dir.resolve("b").toString();
            device.httpPort = 0;
            device.devices.get(0).port = port;
            assertThatThrownBy(() -> GatewayService.start(device)).hasMessage("cannot listen on 127.0.0.1:" + port
                + " (device 'tunnel-1' port): port " + port + " is in use by another process");
        }
    }

    @Test
    void versionIsTheProjects() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("SortHub scanner-gateway "
            + io.sorthub.kit.cli.ProjectVersion.version() + System.lineSeparator());
        out.reset();
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SORTHUB_GATEWAY_HUBS");
    }

    @Test
    void theEnvironmentCanListTheDevices() throws Exception {
        environment.put("SORTHUB_GATEWAY_DEVICES", "[{name: clv-1, profile: sick-clv, port: 7601}, {name: dws, port: 7602}]");
        assertThat(config("run").devices.stream().map(d -> d.name + ":" + d.profile + ":" + d.port))
            .isEqualTo(List.of("clv-1:sick-clv:7601", "dws:generic-csv:7602"));
    }
}
