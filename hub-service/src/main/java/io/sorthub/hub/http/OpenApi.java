package io.sorthub.hub.http;

import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/openapi.yaml}: the API's OpenAPI description as shipped in the jar. A test
 * holds it to the router, so an operation added to one and not the other fails the build.
 */
final class OpenApi {
    static final String RESOURCE = "/io/sorthub/hub/http/openapi.yaml";
    private static final String TEXT = load();

    private OpenApi() {
    }

    static String text() {
        return TEXT;
    }

    static void serve(RoutingContext rc) {
        rc.response().putHeader("content-type", "application/yaml; charset=utf-8").end(TEXT);
    }

    private static String load() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
