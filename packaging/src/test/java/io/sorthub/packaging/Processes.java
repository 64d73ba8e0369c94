package io.sorthub.packaging;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process started as an operator's machine would start it, its output kept line by line. */
final class Processes implements AutoCloseable {
    final Process process;
    final Queue<String> output = new ConcurrentLinkedQueue<>();
    private final Thread drain;

    Processes(List<String> command, Map<String, String> environment) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        process = builder.start();
        final BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        drain = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
        }, "process-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Wait, bounded, for a line; the process's output so far is the failure message. */
    String awaitLine(Predicate<String> line, Duration limit) throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String l : output) {
                if (line.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50); // polling the output of another process against a deadline
        }
        throw new AssertionError("no such line within " + limit + (process.isAlive() ? "" : " (it exited "
            + process.exitValue() + ")") + "; it printed:\n" + String.join("\n", output));
    }

    /** SIGTERM to {@code pid} (the service itself, also when it runs under a wrapper), then the exit code. */
    int stop(long pid) throws Exception {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not stop within 60 s after SIGTERM:\n" + String.join("\n", output));
        }
        drain.join(5_000);
        return process.exitValue();
    }

    int stop() throws Exception {
        return stop(process.pid());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String get(int port, String path) throws Exception {
        return java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
}
