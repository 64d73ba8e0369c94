package io.sorthub.kit.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON errors from the router itself, and health with and without details, on a real server. */
class HttpConventionsTest {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean journalUp = new AtomicBoolean(true);
    private final AtomicBoolean scrapedOnWorker = new AtomicBoolean();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        final Router router = Router.router(vertx);
        JsonErrors.install(router);
        final HealthChecks checks = HealthChecks.create(vertx)
            .register("journal", p -> p.complete(new Status().setOk(journalUp.get())
                .setData(new JsonObject().put("directory", "/var/lib/sorthub/journal"))));
        router.get("/health").handler(HealthEndpoint.of(checks, rc -> "let-me-see".equals(rc.request().getHeader("X-Key"))));
        router.get("/metrics").handler(PrometheusEndpoint.of(() -> {
            scrapedOnWorker.set(io.vertx.core.Context.isOnWorkerThread());
            return "# TYPE sorthub_test_total counter\nsorthub_test_total 3.0\n";
        }));
        router.put("/only-put").handler(rc -> rc.response().end("ok"));
        router.get("/broken").handler(rc -> {
            throw new IllegalStateException("a bug");
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownPathsWrongMethodsAndFailuresAnswerJson() throws Exception {
        final HttpResponse<String> missing = get("/nope/%22quoted%22");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("no such resource: GET /nope/%22quoted%22");
        final HttpResponse<String> method = get("/only-put");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(new JsonObject(method.body()).getString("error")).isEqualTo("method not allowed: GET /only-put");
        final HttpResponse<String> broken = get("/broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(new JsonObject(broken.body()).getString("error"))
            .isEqualTo("internal error on GET /broken: java.lang.IllegalStateException: a bug");
    }

    @Test
    void healthShowsItsChecksOnlyToThoseAllowedAndTheOutcomeToAll() throws Exception {
        final HttpResponse<String> anyone = get("/health");
        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(anyone.body()).doesNotContain("journal");
        assertThat(new JsonObject(anyone.body()).getString("status")).isEqualTo("UP");
        final HttpResponse<String> allowed = get("/health", "X-Key", "let-me-see");
        assertThat(allowed.statusCode()).isEqualTo(200);
        final JsonObject full = new JsonObject(allowed.body());
        assertThat(full.getString("status")).isEqualTo("UP");
        assertThat(full.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("directory"))
            .isEqualTo("/var/lib/sorthub/journal");
        journalUp.set(false);
        final HttpResponse<String> down = get("/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(down.body()).getString("status")).isEqualTo("DOWN");
        assertThat(down.body()).doesNotContain("journal");
        assertThat(get("/health", "X-Key", "let-me-see").statusCode()).isEqualTo(503);
    }

    @Test
    void metricsAreScrapedOnAWorkerInPrometheusTextFormat() throws Exception {
        final HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).isEqualTo("# TYPE sorthub_test_total counter\nsorthub_test_total 3.0\n");
        assertThat(scrapedOnWorker).isTrue();
    }
}
