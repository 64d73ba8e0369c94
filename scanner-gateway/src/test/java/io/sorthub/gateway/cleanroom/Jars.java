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

    /** A port of 127.0.0.1 free right now (the kernel's ephemeral range), for a process that must keep it across restarts. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
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
