package io.sorthub.hub.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sorthub.hub.HubConfig;
import io.sorthub.hub.HubService;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.metrics.HubMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API's conventions, on a real hub: JSON errors everywhere, plain uploads, the plan's words, its description. */
@Timeout(60)
class HttpApiConventionsTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> call(HubService hub, String method, String path, Map<String, String> headers, String body)
        throws Exception {
        final HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(r::header);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonNotHtml() throws Exception {
        try (HubService hub = TestHub.start(dir)) {
            for (String[] request : new String[][] {{"GET", "/nope"}, {"GET", "/api/nope"}, {"DELETE", "/api/sort-plan"}}) {
                final HttpResponse<String> r = call(hub, request[0], request[1], Map.of(), null);
                assertThat(r.statusCode()).as(request[1]).isIn(404, 405);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
                assertThat(new JsonObject(r.body()).getString("error")).contains(request[0] + " " + request[1]);
            }
        }
    }

    @Test
    void aPlanSentAsCurlSendsAFileIsTakenWhateverItsContentTypeButAMultipartForm() throws Exception {
        final String plan = HubService.demoPlanText().replace("name: demo", "name: from-curl");
        try (HubService hub = TestHub.start(dir)) {
            // curl --data-binary @plan.yaml: a form content type; a bare client: none.
            final HttpResponse<String> asCurl = call(hub, "PUT", "/api/sort-plan",
                Map.of("content-type", "application/x-www-form-urlencoded"), plan);
            assertThat(asCurl.statusCode()).as(asCurl.body()).isEqualTo(200);
            assertThat(new JsonObject(asCurl.body()).getString("name")).isEqualTo("from-curl");
            final HttpResponse<String> bare = call(hub, "PUT", "/api/sort-plan", Map.of(), plan.replace("from-curl", "bare"));
            assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
            assertThat(hub.plans().current().name()).isEqualTo("bare");
            final HttpResponse<String> form = call(hub, "PUT", "/api/sort-plan",
                Map.of("content-type", "multipart/form-data; boundary=x"), "--x\r\n\r\nname: y\r\n--x--\r\n");
            assertThat(form.statusCode()).isEqualTo(415);
            assertThat(new JsonObject(form.body()).getString("error")).contains("curl --data-binary @plan.yaml");
            assertThat(hub.plans().current().name()).isEqualTo("bare");
        }
    }

    @Test
    void outletTypesAreSaidAsThePlanSaysThem() throws Exception {
        try (HubService hub = TestHub.start(dir)) {
            final JsonArray outlets = new JsonArray(call(hub, "GET", "/api/outlets", Map.of(), null).body());
            assertThat(outlets.stream().map(o -> ((JsonObject) o).getString("type")).distinct())
                .containsExactlyInAnyOrder("regular", "reject", "overflow", "manual-handling");
        }
    }

    @Test
    void healthAndReadinessShowTheirFindingsToViewersOnlyWhenTokensAreConfigured() throws Exception {
        final Path tokens = Files.writeString(dir.resolve("tokens.yaml"), """
            tokens:
              - {name: wall-screen, role: viewer, token: "v-token"}
            """);
        final HubConfig config = TestHub.config(dir.resolve("hub"));
        config.apiTokensFile = tokens.toString();
        try (HubService hub = HubService.start(config)) {
            for (String path : new String[] {"/health", "/ready"}) {
                final HttpResponse<String> anyone = call(hub, "GET", path, Map.of(), null);
                assertThat(anyone.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(anyone.body()).fieldNames()).as(anyone.body()).containsExactlyInAnyOrder("status", "outcome");
                assertThat(new JsonObject(anyone.body()).getString("status")).isEqualTo("UP");
                final HttpResponse<String> viewer = call(hub, "GET", path, Map.of("Authorization", "Bearer v-token"), null);
                assertThat(new JsonObject(viewer.body()).getJsonArray("checks")).isNotEmpty();
            }
            final HttpResponse<String> viewer = call(hub, "GET", "/health", Map.of("Authorization", "Bearer v-token"), null);
            assertThat(viewer.body()).contains(dir.resolve("hub").resolve("journal").toString()).contains("\"sortPlan\"");
            assertThat(call(hub, "GET", "/health", Map.of("Authorization", "Bearer wrong"), null).body())
                .doesNotContain("journal").doesNotContain("sortPlan");
        }
        try (HubService open = TestHub.start(dir.resolve("open"))) {
            assertThat(new JsonObject(call(open, "GET", "/health", Map.of(), null).body()).getJsonArray("checks")
                .getJsonObject(0).getJsonObject("data").getString("sortPlan")).isEqualTo("demo");
        }
    }

    @Test
    void theOpenApiDescriptionIsServedAndHasExactlyTheRoutersOperations() throws Exception {
        final JsonNode spec = new YAMLMapper().readTree(OpenApi.text());
        final Set<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            final Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> described.add(method.toUpperCase() + " " + path.getKey()));
        }
        final Vertx vertx = Vertx.vertx();
        try {
            final HttpApiVerticle api = new HttpApiVerticle("127.0.0.1", 0, new HubMetrics(), () -> null, () -> false,
                JsonObject::new, null, null, io.sorthub.kit.time.Clocks.system());
            vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            final Set<String> routed = new TreeSet<>();
            for (Route route : api.routes()) {
                if (route.methods() == null || route.methods().isEmpty()) {
                    continue; // a guard on every method of a prefix (/api/*), not an operation
                }
                route.methods().forEach(m -> routed.add(m.name() + " " + route.getPath().replaceAll(":(\\w+)", "{$1}")));
            }
            assertThat(described).isEqualTo(routed);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        try (HubService hub = TestHub.start(dir)) {
            final HttpResponse<String> served = call(hub, "GET", "/api/openapi.yaml", Map.of(), null);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("content-type")).hasValue("application/yaml; charset=utf-8");
            assertThat(served.body()).isEqualTo(OpenApi.text());
            assertThat(spec.get("openapi").asText()).startsWith("3.");
        }
    }
}
