package io.sorthub.hub.http;

import io.sorthub.hub.pair.PairRole;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * The hub pair over HTTP (docs/HA.md): {@code GET /api/pair} says this instance's role, the
 * active and the replication lag; {@code POST /api/pair/switchover} (admin) hands the active
 * role to a standby; and on anything but the active every change (PUT, POST) is refused
 * with 409 naming the active, because changes are made, journaled and replicated there.
 * Without a pair: 404 for the pair's routes, nothing refused.
 */
final class PairApi {
    private final Supplier<ApiContext> api;

    PairApi(Supplier<ApiContext> api) {
        this.api = api;
    }

    /** Ahead of every request under /api: refuses a PUT or POST. */
    void refuseChangesUnlessActive(RoutingContext rc) {
        final PairRole pair = api.get().pair();
        final HttpMethod method = rc.request().method();
        final boolean change = method == HttpMethod.PUT || method == HttpMethod.POST;
        final boolean dryRun = "true".equals(rc.request().getParam("dryRun"));
        if (!change || pair == null || pair.active() || dryRun) {
            rc.next();
            return;
        }
        HttpApiVerticle.json(rc, 409, new JsonObject()
            .put("error", "changes are made on the pair's active: " + pair.unavailable())
            .put("pair", pair.status()));
    }

    void status(RoutingContext rc) {
        final PairRole pair = api.get().pair();
        if (pair == null) {
            HttpApiVerticle.error(rc, 404, "this hub is not part of a hub pair (pairBootstrap is not set)");
            return;
        }
        HttpApiVerticle.json(rc, 200, pair.status());
    }

    void switchover(RoutingContext rc) {
        final PairRole pair = api.get().pair();
        if (pair == null) {
            HttpApiVerticle.error(rc, 404, "this hub is not part of a hub pair (pairBootstrap is not set)");
        } else if (!pair.switchover()) {
            HttpApiVerticle.error(rc, 409, "only the active can hand over its role: " + pair.unavailable());
        } else {
            HttpApiVerticle.json(rc, 202, pair.status().put("switchover", "the role goes to a standby; this instance "
                + "keeps deciding until the standby has fenced it, then restarts as a standby"));
        }
    }
}
