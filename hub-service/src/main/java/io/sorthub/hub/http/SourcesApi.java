package io.sorthub.hub.http;

import io.sorthub.hub.control.HubControl;
import io.sorthub.hub.source.SourceState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Comparator;
import java.util.function.Supplier;

/**
 * {@code GET /api/sources}: every source the hub holds events of, with its highest journaled
 * sequence and whether a session speaks for it. {@code POST /api/sources/{id}/reset}: start a
 * source again at sequence 1 (admin; journaled; see OPERATIONS.md, "A source's numbering
 * went back"). Runs on the HTTP verticle's event loop; the reset itself on a worker.
 */
final class SourcesApi {
    private final Supplier<ApiContext> api;
    private final Vertx vertx;

    SourcesApi(Supplier<ApiContext> api, Vertx vertx) {
        this.api = api;
        this.vertx = vertx;
    }

    void list(RoutingContext rc) {
        final JsonArray list = new JsonArray();
        api.get().sources().all().stream().sorted(Comparator.comparingInt(SourceState::sourceId)).forEach(s -> list.add(
            new JsonObject()
                .put("sourceId", s.sourceId())
                .put("sequence", s.durableSequence())
                .put("connected", s.hasSession())));
        HttpApiVerticle.json(rc, 200, list);
    }

    void reset(RoutingContext rc) {
        final int id;
        try {
            id = Integer.parseInt(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            HttpApiVerticle.error(rc, 400, "source id '" + rc.pathParam("id") + "' is not a number");
            return;
        }
        final String actor = rc.get("actor");
        vertx.executeBlocking(() -> api.get().control().resetSource(id, actor), false)
            .onSuccess(done -> {
                if (done == null) {
                    HttpApiVerticle.error(rc, 404, "the hub holds no events of source " + id);
                } else {
                    HttpApiVerticle.json(rc, 200, json(done));
                }
            })
            .onFailure(e -> HttpApiVerticle.error(rc, 503, "source " + id + " not reset: " + e.getMessage()));
    }

    private static JsonObject json(HubControl.SourceReset done) {
        return new JsonObject().put("sourceId", done.sourceId()).put("previousSequence", done.previousSequence())
            .put("sequence", 0).put("journalIndex", done.journalIndex());
    }
}
