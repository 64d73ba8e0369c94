package io.sorthub.kit.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors the router answers itself (no such path, a method the path does not take, a body
 * over its limit or not readable, a handler that failed) as JSON {@code {"error": "..."}},
 * like every answer of the API, instead of Vert.x's HTML pages. A handler failure is logged
 * with its stack trace: it is a bug, not bad input.
 */
public final class JsonErrors {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);
    private static final int MAX_PATH_SHOWN = 200;

    private JsonErrors() {
    }

    public static void install(Router router) {
        router.errorHandler(404, rc -> reply(rc, 404, "no such resource: " + request(rc)));
        router.errorHandler(405, rc -> reply(rc, 405, "method not allowed: " + request(rc)));
        router.errorHandler(413, rc -> reply(rc, 413, "request body too large for " + request(rc)));
        router.errorHandler(415, rc -> reply(rc, 415, "unsupported content type for " + request(rc)));
        router.errorHandler(400, rc -> reply(rc, 400, "bad request: " + request(rc)
            + (rc.failure() == null ? "" : " (" + rc.failure().getClass().getSimpleName() + ")")));
        router.errorHandler(500, rc -> {
            LOG.error("HTTP {} failed", request(rc), rc.failure());
            reply(rc, 500, "internal error on " + request(rc) + (rc.failure() == null ? "" : ": " + rc.failure()));
        });
    }

    /** {@code {"error": message}} with the status, unless an answer is already under way. */
    public static void reply(RoutingContext rc, int status, String message) {
        if (rc.response().headWritten() || rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", message).encodePrettily());
    }

    private static String request(RoutingContext rc) {
        final String path = rc.request().path() == null ? "" : rc.request().path();
        return rc.request().method() + " " + (path.length() <= MAX_PATH_SHOWN ? path : path.substring(0, MAX_PATH_SHOWN) + "...");
    }
}
