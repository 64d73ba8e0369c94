package io.sorthub.hub;

import io.sorthub.hub.cli.HubMain;
import io.sorthub.test.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** hub-service in a child JVM, started the way an operator would; killed with SIGKILL when a test says so. */
public final class ChildHub implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("scans on 127\\.0\\.0\\.1:(\\d+), HTTP on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern EXPORTER_READY = Pattern.compile("export-kafka ready: .* metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    public final Process process;
    /** Every line the process printed (stdout and stderr), as it prints them. */
    public final List<String> output;
    public final int scanPort;
    public final int httpPort;
    private final ChildProcess child;

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
        child = ChildProcess.start("hub-service " + args, ChildProcess.java(HubMain.class.getName(), args), null);
        process = child.process;
        output = child.output;
        final Matcher ready = child.awaitLine(readyLine, Duration.ofSeconds(60));
        scanPort = ready.groupCount() > 1 ? Integer.parseInt(ready.group(1)) : -1;
        httpPort = Integer.parseInt(ready.group(ready.groupCount()));
    }

    public void kill() throws InterruptedException {
        child.kill();
    }

    /** SIGTERM, the orderly stop (SIGKILL after 30 s), and the last lines it printed read before the caller looks at output. */
    @Override
    public void close() throws InterruptedException {
        child.close();
    }
}
