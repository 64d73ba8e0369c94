package io.sorthub.kit.net;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real listens that fail, and what the operator is told. */
class ListenFailureTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Exception listenFailure(String host, int port) throws Exception {
        try {
            vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(port, host)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e;
        }
        throw new AssertionError("listening on " + host + ":" + port + " worked");
    }

    @Test
    void aPortInUseIsNamedWithItsSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final Exception f = ListenFailure.explain("httpPort", "127.0.0.1", taken.getLocalPort(),
                listenFailure("127.0.0.1", taken.getLocalPort()));
            assertThat(f.getMessage()).isEqualTo("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                + " (httpPort): port " + taken.getLocalPort() + " is in use by another process");
        }
    }

    @Test
    void aHostThatIsNotThisMachinesIsNamed() throws Exception {
        final Exception f = ListenFailure.explain("scanPort", "192.0.2.1", 7400, listenFailure("192.0.2.1", 0));
        assertThat(f.getMessage()).isEqualTo("cannot listen on 192.0.2.1:7400 (scanPort): host 192.0.2.1 is not an address"
            + " of this machine");
    }

    @Test
    void anotherFailureIsLeftAsItIs() {
        final Exception other = new java.util.concurrent.ExecutionException(new IllegalStateException("bad TLS key"));
        assertThat(ListenFailure.explain("httpPort", "127.0.0.1", 7480, other)).isSameAs(other);
    }

    @Test
    void aHostThatCannotBeResolvedIsNamed() throws Exception {
        final Exception f = ListenFailure.explain("host", "no-such-host.invalid", 7480, listenFailure("no-such-host.invalid", 0));
        assertThat(f.getMessage()).isEqualTo("cannot listen on no-such-host.invalid:7480 (host): host no-such-host.invalid"
            + " cannot be resolved");
    }

    @Test
    void theNativeTransportsWordsAreReadToo() {
        // Netty's epoll transport: an IOException of its own, the system call named first.
        final Exception inUse = ListenFailure.explain("scanPort", "0.0.0.0", 7400, new java.util.concurrent.ExecutionException(
            new java.io.IOException("bind(..) failed: Address already in use")));
        assertThat(inUse.getMessage()).isEqualTo("cannot listen on 0.0.0.0:7400 (scanPort): port 7400 is in use by another process");
        final Exception privileged = ListenFailure.explain("scanPort", "0.0.0.0", 80,
            new java.io.IOException("bind(..) failed: Permission denied"));
        assertThat(privileged.getMessage()).endsWith("port 80 needs privileges (ports below 1024)");
        final java.io.IOException unrelated = new java.io.IOException("Permission denied");
        assertThat(ListenFailure.explain("tlsKeyFile", "0.0.0.0", 7400, unrelated)).isSameAs(unrelated);
    }
}
