package io.sorthub.packaging;

import io.sorthub.test.ChildProcess;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A process started as an operator's machine would start it, its output kept line by line. */
final class Processes implements AutoCloseable {
    final Process process;
    final List<String> output;
    private final ChildProcess child;

    Processes(List<String> command, Map<String, String> environment) throws Exception {
        child = ChildProcess.start(command.get(0), command, environment);
        process = child.process;
        output = child.output;
    }

    /** Wait, bounded, for a line; the process's output so far is the failure message. */
    String awaitLine(Predicate<String> line, Duration limit) throws InterruptedException {
        return child.awaitLine(line, limit);
    }

    /** SIGTERM to {@code pid} (the service itself, also when it runs under a wrapper), then the exit code. */
    int stop(long pid) throws Exception {
        return child.stop(pid, Duration.ofSeconds(60));
    }

    int stop() throws Exception {
        return stop(process.pid());
    }

    /** SIGKILL to it and whatever it started: what is left once a test is over. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        child.kill();
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
