package io.sorthub.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub's image as the build wrote it (jib:buildTar, no Docker daemon): its configuration,
 * and its file system unpacked the way a container runtime does (layers in order) and run as
 * one would run it (its own mount and PID namespaces, /proc, the image's user and
 * environment) when this machine lets a test do that.
 */
@Timeout(120)
class ContainerImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Path root;
    static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        assumeTrue(!Boolean.getBoolean("sorthub.image.skipped"), "-Dimage.skip");
        final Path tar = Path.of(System.getProperty("sorthub.image.tar"));
        assertThat(tar).as("the image tarball").isRegularFile();
        final Path image = Files.createDirectories(dir.resolve("image"));
        untar(tar, image, false);
        final JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("sorthub/hub-service:" + System.getProperty("sorthub.version"));
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");
        root = Files.createDirectories(dir.resolve("root"));
        for (JsonNode layer : manifest.get("Layers")) {
            untar(image.resolve(layer.asText()), root, true);
        }
    }

    private static void untar(Path tar, Path into, boolean gzip) throws Exception {
        final Process p = new ProcessBuilder("tar", "--warning=no-unknown-keyword", gzip ? "-xzf" : "-xf", tar.toString(),
            "-C", into.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static Map<String, String> environment() {
        final Map<String, String> env = new HashMap<>();
        config.get("Env").forEach(e -> env.put(e.asText().substring(0, e.asText().indexOf('=')),
            e.asText().substring(e.asText().indexOf('=') + 1)));
        return env;
    }

    @Test
    void itsConfigurationRunsTheHubOnItsTwoPortsAsAUserWithTheJournalOnAVolume() {
        final List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).containsExactly("java", "@/opt/sorthub/jvm.options", "-XX:MaxRAMPercentage=50",
            "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", "io.sorthub.hub.cli.HubMain");
        assertThat(config.get("Cmd")).isNull();
        final TreeSet<String> ports = new TreeSet<>();
        config.get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactly("7400/tcp", "7480/tcp");
        assertThat(config.get("User").asText()).isEqualTo("65532:65532");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/var/lib/sorthub");
        assertThat(config.get("Volumes").has("/var/lib/sorthub")).isTrue();
        assertThat(environment()).containsEntry("PATH", "/opt/java/bin").containsEntry("SORTHUB_HOST", "0.0.0.0")
            .containsEntry("SORTHUB_HTTP_HOST", "0.0.0.0").containsEntry("SORTHUB_DATA_DIR", "/var/lib/sorthub");
        assertThat(config.get("Labels").get("org.opencontainers.image.version").asText())
            .isEqualTo(System.getProperty("sorthub.version"));
    }

    @Test
    void itsFilesHoldTheJavaTheFlagsAndTheApplicationTheEntrypointNames() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("opt/java/bin/java"))))
            .isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).isExecutable();
        assertThat(Files.readAllLines(root.resolve("opt/sorthub/jvm.options")))
            .contains("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
                "-Dchronicle.analytics.disable=true");
        final String classpath = Files.readString(root.resolve("app/jib-classpath-file")).trim();
        for (String entry : classpath.split(":")) {
            if (entry.endsWith(".jar")) { // beside the jars: /app/resources and /app/classes, empty here
                assertThat(root.resolve(entry.substring(1))).as(entry).isRegularFile();
            }
        }
        assertThat(classpath).contains("/app/libs/hub-service-" + System.getProperty("sorthub.version") + ".jar")
            .contains("/app/libs/chronicle-queue-");
        assertThat(Files.readString(root.resolve("etc/passwd"))).contains("sorthub:x:65532:65532:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/sorthub"))))
            .as("writable by the image's user").isEqualTo("rwxrwxrwx");
    }

    /** As a container runtime would: own mount and PID namespaces, /proc, the image's root, user and environment. */
    private Processes inTheImage(Map<String, String> extraEnvironment, String... args) throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0 && Files.isExecutable(Path.of("/usr/bin/unshare"))
            && Files.isExecutable(Path.of("/usr/sbin/chroot")) && namespacesAllowed(),
            "running the image's files needs root, unshare and chroot, and mount namespaces (not inside most containers)");
        final List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        final StringBuilder env = new StringBuilder();
        final Map<String, String> environment = environment();
        environment.putAll(extraEnvironment);
        environment.forEach((k, v) -> env.append(' ').append(k).append('=').append(v));
        final String user = config.get("User").asText();
        final String script = "/usr/bin/mount --bind " + root + " " + root + " && /usr/bin/mount -t proc proc " + root + "/proc"
            + " && cd " + root + config.get("WorkingDir").asText()
            + " && exec /usr/bin/env -i" + env + " /usr/sbin/chroot --userspec=" + user + " " + root + " "
            + String.join(" ", entrypoint) + " " + String.join(" ", args);
        Files.createDirectories(root.resolve("proc"));
        return new Processes(List.of("/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child", "/bin/sh", "-c", script),
            Map.of());
    }

    private static boolean namespacesAllowed() throws Exception {
        final Process probe = new ProcessBuilder("/usr/bin/unshare", "--mount", "--pid", "--fork", "/bin/true")
            .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        return probe.waitFor() == 0;
    }

    @Test
    void itsJavaRunsTheHubThatStartsJournalsAndStopsInOrder() throws Exception {
        try (Processes version = inTheImage(Map.of(), "--version")) {
            assertThat(version.process.waitFor()).as(String.join("\n", version.output)).isZero();
            version.awaitLine(l -> l.equals("SortHub hub-service " + System.getProperty("sorthub.version")), Duration.ofSeconds(5));
        }
        final int http = Processes.freePort();
        // On loopback: the test shares the machine's network; in a container the image's 0.0.0.0 is the container's own.
        try (Processes hub = inTheImage(Map.of("SORTHUB_HOST", "127.0.0.1", "SORTHUB_HTTP_HOST", "127.0.0.1",
            "SORTHUB_HTTP_PORT", Integer.toString(http),
            "SORTHUB_SCAN_PORT", "0", "SORTHUB_DURABILITY", "pagecache"))) {
            hub.awaitLine(l -> l.contains("SortHub hub-service " + System.getProperty("sorthub.version") + " ready:"),
                Duration.ofSeconds(60));
            assertThat(Processes.get(http, "/ready")).contains("\"status\":\"UP\"");
            assertThat(Processes.get(http, "/health")).contains("\"journal\":\"/var/lib/sorthub/journal\"");
            try (var cycles = Files.list(root.resolve("var/lib/sorthub/journal"))) {
                assertThat(cycles.map(Path::toString)).anyMatch(f -> f.endsWith(".cq4"));
            }
            assertThat(hub.output).noneMatch(l -> l.contains("ERROR") || l.contains("Exception"));
            final long java = hub.process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow().pid();
            final int exit = hub.stop(java);
            assertThat(hub.output).anyMatch(l -> l.contains("hub-service stopped"));
            assertThat(exit).isIn(0, 143);
        }
    }
}
