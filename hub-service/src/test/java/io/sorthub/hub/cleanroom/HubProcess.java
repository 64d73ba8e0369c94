package io.sorthub.hub.cleanroom;

import io.sorthub.test.ChildProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hub-service as an operator runs it ({@code java -jar hub-service.jar}: the same main class
 * with the flags its manifest carries), in a process of its own; its commands too
 * ({@code journal export}, {@code journal stats}).
 */
public final class HubProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("scans on 127\\.0\\.0\\.1:(\\d+), HTTP on http://127\\.0\\.0\\.1:(\\d+)");
    public static final Duration START = Duration.ofSeconds(60);

    public final Process process;
    public final List<String> output;
    public final Path dataDir;
    private final ChildProcess child;
    public int scanPort = -1;
    public int httpPort = -1;

    private HubProcess(Path dataDir, List<String> args) throws IOException {
        this.dataDir = dataDir;
        child = ChildProcess.start("hub-service", command(args), null);
        process = child.process;
        output = child.output;
    }

    /** Starts a hub on ephemeral ports of 127.0.0.1 and waits for its ready line. */
    public static HubProcess start(Path dataDir, String... flags) throws Exception {
        final HubProcess hub = launch(dataDir, flags);
        final Matcher ready = hub.awaitLine(READY, START);
        hub.scanPort = Integer.parseInt(ready.group(1));
        hub.httpPort = Integer.parseInt(ready.group(2));
        return hub;
    }

    /** Starts a hub and does not wait for anything. */
    public static HubProcess launch(Path dataDir, String... flags) throws IOException {
        final List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--scan-port", "0", "--http-port", "0"));
        args.addAll(List.of(flags));
        return new HubProcess(dataDir, args);
    }

    public static List<String> command(List<String> args) {
        return ChildProcess.java("io.sorthub.hub.cli.HubMain", args);
    }

    private static Thread drain(InputStream in, List<String> into, String name) {
        final Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    into.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first printed line matching, waiting for it up to the deadline (fails the test if it never comes). */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        return child.awaitLine(pattern, timeout);
    }

    /** Once the process is gone its pipe ends: waits for the last lines to be read. */
    public void joinDrain() throws InterruptedException {
        child.joinDrain();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, nothing tidy. */
    public void kill() throws InterruptedException {
        child.kill();
    }

    /**
     * SIGTERM, and nothing else. {@code Process.destroy()} would also close our ends of the
     * child's pipes, and the lines it prints while it stops would be lost.
     */
    public void sigterm() {
        child.sigterm();
    }

    /** SIGTERM, the orderly stop; returns the exit status. */
    public int stop(Duration timeout) throws InterruptedException {
        return child.stop(timeout);
    }

    @Override
    public void close() throws InterruptedException {
        child.close();
    }

    /** A command's outcome: exit status, standard output, standard error. */
    public record Result(int status, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().toList();
        }
    }

    /** Runs {@code hub-service ARGS} to its end (bounded). */
    public static Result run(Duration timeout, String... args) throws Exception {
        final Process p = new ProcessBuilder(command(List.of(args))).start();
        final List<String> out = new CopyOnWriteArrayList<>();
        final List<String> err = new CopyOnWriteArrayList<>();
        final Thread o = drain(p.getInputStream(), out, "cleanroom-cmd-out");
        final Thread e = drain(p.getErrorStream(), err, "cleanroom-cmd-err");
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hub-service " + List.of(args) + " did not finish within " + timeout);
        }
        o.join(timeout.toMillis());
        e.join(timeout.toMillis());
        return new Result(p.exitValue(), String.join("\n", out), String.join("\n", err));
    }

    public static Path writeConfig(Path dir, String yaml) throws IOException {
        final Path file = dir.resolve("hub-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
