package io.sorthub.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd units and the /etc/sorthub layout of docs/DEPLOY.md: the units pass systemd's own
 * check, and their ExecStart lines, run with the layout's files (moved under a temporary root,
 * ports made free, heap made small), start a hub and a gateway that forwards to it, which stop
 * in order on SIGTERM with an exit code the units count as success.
 */
@Timeout(120)
class SystemdUnitsTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    @TempDir
    Path dir;

    /** The unit's keys (the last of each), continuation lines joined. */
    static Map<String, String> unit(Path file) throws Exception {
        final Map<String, String> keys = new LinkedHashMap<>();
        String pending = "";
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank() || line.startsWith("[")) {
                continue;
            }
            pending += line.strip();
            if (pending.endsWith("\\")) {
                pending = pending.substring(0, pending.length() - 1) + " ";
                continue;
            }
            keys.put(pending.substring(0, pending.indexOf('=')), pending.substring(pending.indexOf('=') + 1));
            pending = "";
        }
        return keys;
    }

    @Test
    void systemdAcceptsTheUnits() throws Exception {
        final Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        final Process p = new ProcessBuilder(analyze.toString(), "verify", MODULE.resolve("systemd/sorthub-hub.service").toString(),
            MODULE.resolve("systemd/sorthub-gateway.service").toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void theUnitsSayWhatTheDeploymentNeeds() throws Exception {
        final Map<String, String> hub = unit(MODULE.resolve("systemd/sorthub-hub.service"));
        assertThat(hub).containsEntry("User", "sorthub").containsEntry("StateDirectory", "sorthub")
            .containsEntry("RestartPreventExitStatus", "2").containsEntry("Restart", "on-failure")
            .containsEntry("KillSignal", "SIGTERM").containsEntry("SuccessExitStatus", "143")
            .containsEntry("EnvironmentFile", "-/etc/sorthub/hub.env");
        assertThat(hub.get("ExecStart")).contains("-jar /opt/sorthub/hub-service.jar --config /etc/sorthub/hub.yaml")
            .contains("-XX:+ExitOnOutOfMemoryError").contains("-Xms2g -Xmx2g");
        assertThat(unit(MODULE.resolve("systemd/sorthub-gateway.service")).get("ExecStart"))
            .contains("-jar /opt/sorthub/scanner-gateway.jar run --config /etc/sorthub/gateway.yaml");
    }

    /** The unit's ExecStart with the deployment's paths under {@code root} and a heap a test machine can give. */
    private List<String> execStart(String unit, Path root) throws Exception {
        final String line = unit(MODULE.resolve("systemd/" + unit)).get("ExecStart")
            .replace("/opt/sorthub/hub-service.jar", System.getProperty("sorthub.hub.jar"))
            .replace("/opt/sorthub/scanner-gateway.jar", System.getProperty("sorthub.gateway.jar"))
            .replace("/etc/sorthub", root + "/etc/sorthub").replace("/var/lib/", root + "/var/lib/")
            .replace("/var/log/", root + "/var/log/")
            .replaceAll("-Xms\\S+ -Xmx\\S+", "-Xms256m -Xmx256m");
        final List<String> command = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString()); // /usr/bin/java on a hub
        return command;
    }

    @Test
    void theExecStartLinesWithTheEtcLayoutRunAHubAndAGatewayThatStopInOrder() throws Exception {
        final int scan = Processes.freePort();
        final int http = Processes.freePort();
        final int device = Processes.freePort();
        final int gatewayHttp = Processes.freePort();
        final Path etc = Files.createDirectories(dir.resolve("etc/sorthub"));
        try (var files = Files.list(MODULE.resolve("etc/sorthub"))) {
            for (Path f : files.toList()) {
                Files.writeString(etc.resolve(f.getFileName()), Files.readString(f)
                    .replace("/etc/sorthub", etc.toString()).replace("/var/lib/", dir + "/var/lib/")
                    .replace("host: 0.0.0.0", "host: 127.0.0.1")
                    .replace("7400", Integer.toString(scan)).replace("7480", Integer.toString(http))
                    .replace("7600", Integer.toString(device)).replace("7680", Integer.toString(gatewayHttp)));
            }
        }
        for (String state : new String[] {"var/lib/sorthub", "var/lib/sorthub-gateway", "var/log/sorthub"}) {
            Files.createDirectories(dir.resolve(state)); // systemd's StateDirectory= and LogsDirectory=
        }
        final Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
        try (Processes hub = new Processes(execStart("sorthub-hub.service", dir), env)) {
            hub.awaitLine(l -> l.contains("hub-service " + System.getProperty("sorthub.version") + " ready:"), Duration.ofSeconds(60));
            assertThat(Processes.get(http, "/health")).contains("\"sortPlan\":\"demo\"")
                .contains(dir.resolve("var/lib/sorthub/journal").toString());
            try (Processes gateway = new Processes(execStart("sorthub-gateway.service", dir), env)) {
                gateway.awaitLine(l -> l.contains("scanner-gateway " + System.getProperty("sorthub.version") + " ready:"),
                    Duration.ofSeconds(60));
                final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Processes.get(gatewayHttp, "/health").contains("\"connected\":true") && System.nanoTime() < deadline) {
                    Thread.sleep(100); // polling the gateway's health against a deadline
                }
                assertThat(Processes.get(gatewayHttp, "/health")).contains("\"connected\":true");
                assertThat(gateway.stop()).isIn(0, 143);
                assertThat(gateway.output).anyMatch(l -> l.contains("scanner-gateway stopped"))
                    .noneMatch(l -> l.contains("lost the connection to hub"));
            }
            assertThat(hub.stop()).isIn(0, 143);
            assertThat(hub.output).anyMatch(l -> l.contains("hub-service stopped"));
            assertThat(dir.resolve("var/log/sorthub/hub-gc.log")).isNotEmptyFile();
        }
    }

    @Test
    void theShippedJarsSayTheProjectsVersion() throws Exception {
        for (String jar : new String[] {System.getProperty("sorthub.hub.jar"), System.getProperty("sorthub.gateway.jar")}) {
            try (Processes p = new Processes(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "--version"), null)) {
                assertThat(p.process.waitFor()).isZero();
                p.awaitLine(l -> l.matches("SortHub (hub-service|scanner-gateway) " + System.getProperty("sorthub.version")),
                    Duration.ofSeconds(5));
            }
        }
    }
}
