package io.sorthub.hub.http;

import io.sorthub.hub.journal.ParcelTraces;
import io.sorthub.protocol.ScanFlyweight;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code GET /api/parcels/{barcode}}: the parcel's whole history at this hub, oldest first. */
final class ParcelQuery {
    private final Supplier<ApiContext> api;
    private final Vertx vertx;

    ParcelQuery(Supplier<ApiContext> api, Vertx vertx) {
        this.api = api;
        this.vertx = vertx;
    }

    void handle(RoutingContext rc) {
        final String barcode = rc.pathParam("barcode");
        if (barcode == null || barcode.isEmpty() || barcode.length() > ScanFlyweight.MAX_BARCODE_LENGTH
            || !barcode.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            HttpApiVerticle.error(rc, 400, "barcode must be 1 to " + ScanFlyweight.MAX_BARCODE_LENGTH
                + " printable ASCII characters");
            return;
        }
        final ParcelTraces traces = api.get().traces();
        vertx.executeBlocking(() -> traces.trace(barcode), false)
            .onSuccess(events -> answer(rc, barcode, events))
            .onFailure(e -> HttpApiVerticle.error(rc, 500, "trace failed: " + e));
    }

    private static void answer(RoutingContext rc, String barcode, List<ParcelTraces.Event> events) {
        if (events.isEmpty()) {
            HttpApiVerticle.error(rc, 404, "no event for barcode " + barcode + " in this hub's journal");
            return;
        }
        final JsonArray list = new JsonArray();
        for (ParcelTraces.Event e : events) {
            list.add(new JsonObject()
                .put("journalIndex", e.journalIndex())
                .put("kind", e.kind().toLowerCase(Locale.ROOT))
                .put("deviceTime", Instant.ofEpochMilli(e.deviceTimeMs()).toString())
                .put("receivedAt", Instant.ofEpochSecond(0, e.receivedAtNs()).toString())
                .put("source", e.sourceId())
                .put("sequence", e.sequence())
                .put("scanner", e.scanner())
                .put("destination", e.destination())
                .put("weightGrams", e.weightGrams())
                .put("outlet", e.outlet())
                .put("reason", e.reason().toLowerCase(Locale.ROOT))
                .put("ruleId", e.ruleId())
                .put("planVersion", e.planVersion())
                .put("reportedOutlet", e.reportedOutlet()));
        }
        HttpApiVerticle.json(rc, 200, new JsonObject().put("barcode", barcode).put("events", list));
    }
}
