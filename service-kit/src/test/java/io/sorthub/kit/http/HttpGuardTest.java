package io.sorthub.kit.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sorthub.kit.log.DistinctLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow and idle clients on a real server: each is closed within its deadline while a good
 * client is served, and each closing is counted. Deadlines are short here (hundreds of ms);
 * the assertions bound them loosely above (a slow machine) and firmly below (not closed early).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpGuardTest {
    private static final HttpLimits LIMITS = new HttpLimits(800, 400, 400, 3);
    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpGuard guard;
    private int port;

    @BeforeEach
    void start() throws Exception {
        final String id = vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                guard = new HttpGuard(vertx, LIMITS, DistinctLog.perMinute(LoggerFactory.getLogger(HttpGuardTest.class),
                    SystemEpochClock.INSTANCE), SystemEpochClock.INSTANCE);
                guard.register(registry, "test_http");
                final Router router = Router.router(vertx);
                router.get("/ok").handler(rc -> rc.response().end("ok"));
                router.put("/body").handler(BodyHandler.create(false)).handler(rc -> rc.response().end("got " + rc.body().length()));
                final HttpServer server = guard.guard(vertx.createHttpServer(guard.options(new HttpServerOptions())), router);
                return server.listen(0, "127.0.0.1").onSuccess(s -> port = s.actualPort());
            }
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(id).isNotNull();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket socket = connect()) {
            final long start = System.nanoTime();
            final long closedAfterMs = awaitClosed(socket, null, 0);
            assertThat(closedAfterMs).isBetween(LIMITS.headerTimeoutMs() - 50L, 10_000L);
            assertThat(System.nanoTime() - start).isPositive();
        }
        assertThat(guard.headerTimeouts()).isEqualTo(1);
        assertThat(registry.get("test_http_timeouts").tag("kind", "header").functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void aHeaderDribbledAByteAtATimeIsClosedBeforeItEnds() throws Exception {
        final byte[] header = ("GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect()) {
            // One byte every 50 ms: the whole header would take 12 s; the idle timeout never sees 800 ms of silence.
            final long closedAfterMs = awaitClosed(socket, header, 50);
            assertThat(closedAfterMs).isBetween(LIMITS.headerTimeoutMs() - 50L, 10_000L);
        }
        assertThat(guard.headerTimeouts()).isEqualTo(1);
    }

    @Test
    void aBodyDribbledAByteAtATimeIsClosedAfterTheRequestTimeout() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("PUT /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final long closedAfterMs = awaitClosed(socket, "x".repeat(1000).getBytes(StandardCharsets.US_ASCII), 50);
            assertThat(closedAfterMs).isBetween(LIMITS.requestTimeoutMs() - 50L, 10_000L);
        }
        assertThat(guard.requestTimeouts()).isEqualTo(1);
    }

    @Test
    void aKeptAliveConnectionIsClosedWhenIdleOrWhenItsNextHeaderDribbles() throws Exception {
        try (Socket idle = connect()) {
            assertThat(request(idle, "/ok")).contains("200 OK").endsWith("ok");
            assertThat(awaitClosed(idle, null, 0)).isBetween(LIMITS.idleTimeoutMs() - 50L, 10_000L);
        }
        try (Socket dribbler = connect()) {
            assertThat(request(dribbler, "/ok")).contains("200 OK").endsWith("ok");
            final byte[] next = ("GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(400) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            assertThat(awaitClosed(dribbler, next, 50)).isBetween(LIMITS.idleTimeoutMs() - 50L, 10_000L);
        }
        // Either deadline may close it: Vert.x's idle timeout when the server has not read the
        // dribbled bytes yet (the router holds a request paused), or the guard's after a response.
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnceAndCountedWhileThoseOpenAreServed() throws Exception {
        final List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < LIMITS.maxConnections(); i++) {
                open.add(connect());
                assertThat(request(open.get(i), "/ok")).contains("200 OK");
            }
            try (Socket extra = connect()) {
                assertThat(awaitClosed(extra, null, 0)).isLessThan(LIMITS.headerTimeoutMs());
            }
            assertThat(guard.refused()).isEqualTo(1);
            assertThat(registry.get("test_http_connections_refused").functionCounter().count()).isEqualTo(1.0);
            assertThat(request(open.get(0), "/ok")).contains("200 OK");
            open.remove(0).close();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (guard.open() >= LIMITS.maxConnections() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            try (Socket again = connect()) {
                assertThat(request(again, "/ok")).contains("200 OK");
            }
            assertThat(registry.get("test_http_connections").gauge().value()).isGreaterThanOrEqualTo(2.0);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private Socket connect() throws IOException {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(50);
        return socket;
    }

    /** Send a GET and read its whole response (Content-Length framed). */
    private static String request(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        final StringBuilder text = new StringBuilder();
        final InputStream in = socket.getInputStream();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                final int b = in.read();
                if (b < 0) {
                    break;
                }
                text.append((char) b);
                final int headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd > 0) {
                    final String head = text.substring(0, headerEnd).toLowerCase();
                    final int at = head.indexOf("content-length: ");
                    final int length = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
                    if (text.length() - headerEnd - 4 >= length) {
                        return text.toString();
                    }
                }
            } catch (SocketTimeoutException e) {
                // keep reading until the deadline
            }
        }
        return text.toString();
    }

    /**
     * Write {@code bytes} one at a time, {@code everyMs} apart (or nothing when null), until the
     * server closes the connection; that must happen before they are all sent.
     *
     * @return milliseconds until the close was seen
     */
    private static long awaitClosed(Socket socket, byte[] bytes, long everyMs) throws IOException {
        final long start = System.nanoTime();
        final OutputStream out = socket.getOutputStream();
        final InputStream in = socket.getInputStream();
        int sent = 0;
        long nextWrite = start;
        final long deadline = start + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (bytes != null && System.nanoTime() >= nextWrite) {
                    assertThat(sent).as("the whole slow request was sent before the server closed").isLessThan(bytes.length);
                    out.write(bytes[sent++]);
                    out.flush();
                    nextWrite += TimeUnit.MILLISECONDS.toNanos(everyMs);
                }
                if (in.read() < 0) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start); // reset by the server's close
            }
        }
        throw new AssertionError("still open after 20 s");
    }
}
