package io.sorthub.kit.http;

import io.sorthub.kit.log.DistinctLog;
import io.sorthub.kit.time.SetClock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard's deadlines run on its clock, not the machine's: with a minute for the header
 * and for the body, a connection is closed as soon as the test moves the clock past its
 * deadline, a minute that never passes in real time. (Vert.x's own idle bound, two minutes of
 * real time, never comes into it.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpGuardClockTest {
    private static final HttpLimits LIMITS = new HttpLimits(120_000, 60_000, 60_000, 10);
    private final Vertx vertx = Vertx.vertx();
    private final SetClock clock = new SetClock(System.currentTimeMillis()); // so that the machine's clock could not pass for it
    private final AtomicInteger requestsSeen = new AtomicInteger();
    private HttpGuard guard;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                guard = new HttpGuard(vertx, LIMITS, DistinctLog.perMinute(LoggerFactory.getLogger(HttpGuardClockTest.class),
                    clock), clock);
                final Router router = Router.router(vertx);
                router.put("/body").handler(rc -> {
                    requestsSeen.incrementAndGet(); // the guard took the request's time before routing it
                    rc.next();
                });
                router.put("/body").handler(BodyHandler.create(false)).handler(rc -> rc.response().end("got"));
                return guard.guard(vertx.createHttpServer(guard.options(new HttpServerOptions())), router)
                    .listen(0, "127.0.0.1").onSuccess(s -> port = s.actualPort());
            }
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSilentConnectionIsClosedWhenTheClockPassesItsHeaderDeadline() throws Exception {
        try (Socket socket = connect()) {
            await(() -> guard.open() == 1, "the guard sees the connection");
            clock.advance(Duration.ofMillis(LIMITS.headerTimeoutMs() + 1));
            awaitClosed(socket);
        }
        assertThat(guard.headerTimeouts()).isEqualTo(1);
        assertThat(guard.requestTimeouts()).isZero();
    }

    @Test
    void aBodyNotCompleteWhenTheClockPassesItsDeadlineIsClosed() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("PUT /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nxxx"
                .getBytes(StandardCharsets.US_ASCII));
            await(() -> requestsSeen.get() == 1, "the request's header reached the server");
            clock.advance(Duration.ofMillis(LIMITS.requestTimeoutMs() + 1));
            awaitClosed(socket);
        }
        assertThat(guard.requestTimeouts()).isEqualTo(1);
        assertThat(guard.headerTimeouts()).isZero();
    }

    private Socket connect() throws IOException {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(50);
        return socket;
    }

    private static void await(BooleanSupplier condition, String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** The server closes the connection within a few of the guard's sweeps (one a second). */
    private static void awaitClosed(Socket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                return; // reset by the server's close
            }
        }
        throw new AssertionError("still open 10 s after the clock passed the deadline");
    }
}
