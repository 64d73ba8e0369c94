package io.sorthub.gateway.cleanroom;

import io.sorthub.test.ChildProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * The two services as an operator runs them, {@code java -jar hub-service.jar} and {@code java -jar
 * scanner-gateway.jar run}: the jars' main classes with the flags their manifests carry, on this
 * test's class path (a test runs before its module's jar is built), each in a process of its own.
 */
final class Jars {
    static final String HUB = "io.sorthub.hub.cli.HubMain";
    static final String GATEWAY = "io.sorthub.gateway.GatewayMain";

    private Jars() {
    }

    static ChildProcess start(String name, String mainClass, List<String> args) throws IOException {
        return ChildProcess.start(name, ChildProcess.java(mainClass, args), null);
    }

    /**
     * A port of 127.0.0.1 free right now, for a process that must keep it across restarts: below
     * the kernel's ephemeral range, so that the gateway's own connections (redialling a hub that
     * is down) never take it, nor connect to themselves on it.
     */
    static int freePort() throws IOException {
        final int ephemeralLow = ephemeralLow();
        final java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            final int port = random.nextInt(Math.max(1025, ephemeralLow - 12_000), ephemeralLow);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IOException("no free port of 127.0.0.1 below " + ephemeralLow);
    }

    private static int ephemeralLow() {
        try {
            // readAllLines, not readString: a /proc file says it is empty, and readString reads it short
            final int low = Integer.parseInt(java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
            return low > 4096 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768; // Linux's default
        }
    }

    private static final java.net.http.HttpClient HTTP =
        java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

    /** GET {@code path} of a process's HTTP port on 127.0.0.1, within 10 s. */
    static java.net.http.HttpResponse<String> get(int httpPort, String path) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(java.time.Duration.ofSeconds(10)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL, if it runs. */
    static void sigkill(io.sorthub.test.ChildProcess process) throws InterruptedException {
        if (process != null && process.process.isAlive()) {
            process.kill();
        }
    }
}
