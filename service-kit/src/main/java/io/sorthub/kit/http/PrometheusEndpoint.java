package io.sorthub.kit.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * {@code /metrics} in Prometheus's text format. The scrape runs on a Vert.x worker: with a
 * meter per source, device and outlet it takes milliseconds, which the HTTP loop (health
 * checks, the API) should not wait for.
 */
public final class PrometheusEndpoint {
    /** The text format every Prometheus 2.x scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusEndpoint() {
    }

    /** @param scrape the registry's exposition text (thread-safe: it is called on a worker) */
    public static Handler<RoutingContext> of(Supplier<String> scrape) {
        return rc -> rc.vertx().executeBlocking(scrape::get, false)
            .onSuccess(text -> rc.response().putHeader("content-type", CONTENT_TYPE).end(text))
            .onFailure(rc::fail);
    }
}
