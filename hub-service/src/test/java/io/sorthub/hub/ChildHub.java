package io.sorthub.hub;

import io.sorthub.hub.cli.HubMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** hub-service in a child JVM, started the way an operator would; killed with SIGKILL when a test says so. */
public final class ChildHub implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("scans on 127\\.0\\.0\\.1:(\\d+), HTTP on http://127\\.0\\.0\\.1:(\\d+)");

    public final Process process;
    /** Every line the process printed (stdout and stderr), as it prints them. */
    public final java.util.Queue<String> output = new java.util.concurrent.ConcurrentLinkedQueue<>();
    public final int scanPort;
    public final int httpPort;
    private final Thread drain;

    private static final Pattern EXPORTER_READY = Pattern.compile("export-kafka ready: .* metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    public ChildHub(Path dataDir, String... extraArgs) throws Exception {
        this(dataDir, 0, extraArgs);
    }

    /** On a given scan port (0: any free one), e.g. the port of an earlier run that sources still dial. */
    public ChildHub(Path dataDir, int scanPort, String... extraArgs) throws Exception {
        this(READY, concat(List.of("--data-dir", dataDir.toString(), "--scan-port", Integer.toString(scanPort),
            "--http-port", "0"), extraArgs));
    }

    /** {@code hub-service export-kafka} in a child JVM: only {@link #httpPort} (its metrics) is set. */
    public static ChildHub exporter(Path dataDir, String... args) throws Exception {
        return new ChildHub(EXPORTER_READY, concat(List.of("export-kafka", "--data-dir", dataDir.toString(),
            "--http-port", "0"), args));
    }

    private static List<String> concat(List<String> first, String... more) {
        final List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private ChildHub(Pattern readyLine, List<String> args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true", "-Xmx512m",
            "-cp", System.getProperty("java.class.path"), HubMain.class.getName()));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Lines are read on a thread of their own, so the wait for the ready line has a real
        // deadline even when the child prints nothing (a blocked pipe read ignores interrupts).
        final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        drain = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
        }, "child-hub-output");
        drain.setDaemon(true);
        drain.start();
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Matcher ready = null;
        while (ready == null) {
            final String line = lines.poll(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (line == null) {
                process.destroyForcibly();
                throw new IllegalStateException("hub-service " + args + " did not say it was ready within 60 s "
                    + (process.isAlive() ? "" : "(it exited) ") + "and printed:\n" + String.join("\n", output));
            }
            final Matcher m = readyLine.matcher(line);
            if (m.find()) {
                ready = m;
            }
        }
        scanPort = ready.groupCount() > 1 ? Integer.parseInt(ready.group(1)) : -1;
        httpPort = Integer.parseInt(ready.group(ready.groupCount()));
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, nothing tidy
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM, the orderly stop, through the handle: Process.destroy() would also close the pipe
        // and lose what the process says while it stops.
        process.toHandle().destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
        drain.join(5_000); // the last lines it printed, read before the caller looks at output
    }
}
