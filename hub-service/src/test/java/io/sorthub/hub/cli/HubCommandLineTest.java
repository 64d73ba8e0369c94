package io.sorthub.hub.cli;

import io.sorthub.test.StandardStreams;
import io.sorthub.hub.HubService;
import io.sorthub.hub.HubConfig;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code hub-service} as an operator meets it: settings from file, environment and flags in
 * that order, and every mistake answered with one line naming the port, file or key, an exit
 * code from OPERATIONS.md and no stack trace.
 */
@Timeout(60)
class HubCommandLineTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> environment = new HashMap<>();

    private int run(String... args) {
        return StandardStreams.capture(out, err, () -> {
            final CommandLine cl = HubMain.commandLine();
            ((HubMain) cl.getCommand()).environment = environment;
            cl.setErr(new PrintWriter(System.err, true));
            cl.setOut(new PrintWriter(System.out, true));
            return cl.execute(args);
        });
    }

    private String errorLine() {
        return StandardStreams.errorLine(err);
    }

    private HubConfig config(String... args) throws Exception {
        final CommandLine cl = HubMain.commandLine();
        final HubMain main = (HubMain) cl.getCommand();
        main.environment = environment;
        cl.parseArgs(args);
        return main.config();
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        final Path file = Files.writeString(dir.resolve("hub.yaml"), "scanPort: 7001\nhttpPort: 7002\nhubId: from-file\n");
        environment.put("SORTHUB_HTTP_PORT", "7102");
        environment.put("SORTHUB_HUB_ID", "from-env");
        environment.put("SORTHUB_EXPORT_KAFKA_PROPERTIES", "{security.protocol: SASL_SSL}");
        environment.put("SORTHUB_EXPORT_KAFKA_BOOTSTRAP", "kafka-1:9092");
        final HubConfig config = config("--config", file.toString(), "--hub-id", "from-flag");
        assertThat(config.scanPort).isEqualTo(7001);
        assertThat(config.httpPort).isEqualTo(7102);
        assertThat(config.hubId).isEqualTo("from-flag");
        assertThat(config.exportKafkaProperties).containsEntry("security.protocol", "SASL_SSL");
        assertThat(HubConfig.variables()).containsEntry("scanPort", "SORTHUB_SCAN_PORT")
            .containsEntry("tlsCertFile", "SORTHUB_TLS_CERT_FILE").containsEntry("exitOnFatal", "SORTHUB_EXIT_ON_FATAL");
    }

    @Test
    void exitOnFatalIsOnFromTheCommandLineUnlessTheFileOrTheEnvironmentTurnsItOff() throws Exception {
        assertThat(config().exitOnFatal).isTrue();
        assertThat(config("--config", Files.writeString(dir.resolve("a.yaml"), "exitOnFatal: false\n").toString()).exitOnFatal)
            .isFalse();
        assertThat(config("--config", Files.writeString(dir.resolve("b.yaml"), "hubId: x\n").toString()).exitOnFatal).isTrue();
        environment.put("SORTHUB_EXIT_ON_FATAL", "false");
        assertThat(config().exitOnFatal).isFalse();
    }

    @Test
    void aBadVariableIsNamedAndATypoIsReportedWithTheNearestKey() {
        environment.put("SORTHUB_SCAN_PORT", "70000");
        assertThatThrownBy(() -> config()).hasMessage("environment SORTHUB_SCAN_PORT: scanPort 70000 is not a TCP port "
            + "(0 picks a free one)");
        environment.put("SORTHUB_SCAN_PORT", "lots");
        assertThatThrownBy(() -> config()).hasMessageStartingWith("environment variable SORTHUB_SCAN_PORT='lots': ");
        assertThat(HubConfig.unknownVariables(Map.of("SORTHUB_SCAN_PROT", "1", "SORTHUB_TOKEN", "t",
            "SORTHUB_LOG_FORMAT", "json", "SORTHUB_GATEWAY_HUB_PORT", "7400")))
            .containsExactly("SORTHUB_SCAN_PROT (did you mean SORTHUB_SCAN_PORT?)");
    }

    @Test
    void aMissingConfigFileOrSortPlanIsOneLineNamingIt() {
        assertThat(run("--config", "nope.yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service: cannot read config file nope.yaml: no such file or directory");
        err.reset();
        assertThat(run("--data-dir", dir.toString(), "--sort-plan", "nope.yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service: command line: sortPlan nope.yaml: no such file");
    }

    @Test
    void aPortInUseIsNamedWithItsSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final int port = taken.getLocalPort();
            assertThat(run("--data-dir", dir.resolve("a").toString(), "--scan-port", "0", "--http-port", Integer.toString(port)))
                .isEqualTo(ExitCodes.USAGE);
            assertThat(errorLine()).isEqualTo("hub-service: cannot listen on 127.0.0.1:" + port + " (httpPort): port " + port
                + " is in use by another process");
            err.reset();
            assertThat(run("--data-dir", dir.resolve("b").toString(), "--scan-port", Integer.toString(port), "--http-port", "0"))
                .isEqualTo(ExitCodes.USAGE);
            assertThat(errorLine()).isEqualTo("hub-service: cannot listen on 127.0.0.1:" + port + " (scanPort): port " + port
                + " is in use by another process");
        }
    }

    @Test
    void aHostThatIsNotThisMachinesIsNamed() {
        // --host is the scan port's; the HTTP port has --http-host of its own.
        assertThat(run("--data-dir", dir.toString(), "--host", "192.0.2.1", "--scan-port", "0", "--http-port", "0"))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service: cannot listen on 192.0.2.1:0 (scanPort): host 192.0.2.1 is not an "
            + "address of this machine");
        assertThat(run("--data-dir", dir.toString(), "--http-host", "192.0.2.1", "--scan-port", "0", "--http-port", "0"))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service: cannot listen on 192.0.2.1:0 (httpPort): host 192.0.2.1 is not an "
            + "address of this machine");
    }

    @Test
    void subcommandsSayWhatIsWrongOnOneLine() throws Exception {
        assertThat(run("sort-plan", "check", "nope.yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("nope.yaml: cannot read: no such file");
        err.reset();
        assertThat(run("sort-plan", "upload", "nope.yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service sort-plan upload: nope.yaml: cannot read: no such file");
        err.reset();
        final Path plan = Files.writeString(dir.resolve("plan.yaml"), HubService.demoPlanText());
        assertThat(run("sort-plan", "upload", plan.toString(), "--url", "127.0.0.1:26001")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).startsWith("hub-service sort-plan upload: Invalid value for option '--url': "
            + "'127.0.0.1:26001' is not an http:// or https:// address");
        err.reset();
        Files.createDirectories(dir.resolve("data").resolve("journal"));
        assertThat(run("journal", "export", "--data-dir", dir.resolve("data").toString(), "--out", "/nonexistent/x"))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service journal export: --out /nonexistent/x: no such folder /nonexistent");
        err.reset();
        assertThat(run("--scan-prot=1")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service: Unknown option: '--scan-prot=1'; did you mean --scan-port? "
            + "(hub-service --help lists what it takes)");
        err.reset();
        assertThat(run("--log-format", "xml")).isEqualTo(ExitCodes.USAGE);
        assertThat(errorLine()).isEqualTo("hub-service: --log-format 'xml' must be text or json");
    }

    @Test
    void versionIsTheProjectsAndHelpShowsTheEnvironmentAndExitCodes() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("SortHub hub-service "
            + io.sorthub.kit.cli.ProjectVersion.version() + System.lineSeparator());
        assertThat(io.sorthub.kit.cli.ProjectVersion.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        out.reset();
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("SORTHUB_SCAN_PORT").contains("Exit codes: 0 stopped; 2 ")
            .contains("--verbose");
        out.reset();
        assertThat(run("export-kafka", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--topic=<topic>").contains("the Kafka topic the records go to")
            .contains("Default: 7490").contains("--producer-config");
    }
}
