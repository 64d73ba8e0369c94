package io.sorthub.hub.cleanroom;

import io.sorthub.test.Exposition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The hub's HTTP API (OPERATIONS.md, "HTTP API") through java.net.http. */
public final class HubHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;

    public HubHttp(int port) {
        this.port = port;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return CLIENT.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String body) throws Exception {
        return CLIENT.send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> putEmpty(String path) throws Exception {
        return CLIENT.send(request(path).PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path) throws Exception {
        return CLIENT.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    /** The body of a 2xx answer as JSON; fails naming the request when the hub answered otherwise. */
    public static JsonNode ok(HttpResponse<String> r) throws Exception {
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(r.request().method() + " " + r.request().uri().getRawPath() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    public static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** {@code GET /api/sources}: the entry of one source, or null when the hub lists none for it. */
    public JsonNode source(int sourceId) throws Exception {
        final HttpResponse<String> r = get("/api/sources");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/sources answered " + r.statusCode() + ": " + r.body());
        }
        for (JsonNode n : JSON.readTree(r.body())) {
            if (n.path("sourceId").asInt() == sourceId) {
                return n;
            }
        }
        return null;
    }

    /** The sample's value, 0 while the series is not exported yet (a reading taken before the first event). */
    public double metricOrZero(String series) throws Exception {
        return Exposition.value(get("/metrics").body(), series, 0);
    }

    /** One sample of {@code GET /metrics}, e.g. {@code sorthub_limit_trips_total{limit="idle_timeout"}}; fails when absent. */
    public double metric(String series) throws Exception {
        return Exposition.required(get("/metrics").body(), series, "GET /metrics");
    }
}
