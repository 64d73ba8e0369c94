package io.sorthub.hub.http;

import io.sorthub.hub.tracking.ParcelTraces;
import io.sorthub.protocol.Ascii;
import io.sorthub.protocol.ScanFlyweight;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.concurrent.EpochClock;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code GET /api/parcels/{barcode}}: the parcel's whole history at this hub, oldest first. */
final class ParcelQuery {
    private final Supplier<ApiContext> api;
    private final Vertx vertx;
    private final EpochClock clock;

    ParcelQuery(Supplier<ApiContext> api, Vertx vertx, EpochClock clock) {
        this.clock = clock;
        this.api = api;
        this.vertx = vertx;
    }

    void handle(RoutingContext rc) {
        final String barcode = rc.pathParam("barcode");
        if (barcode == null || barcode.isEmpty() || barcode.length() > ScanFlyweight.MAX_BARCODE_LENGTH
            || !Ascii.isCode(barcode)) {
            HttpApiVerticle.error(rc, 400, "barcode must be 1 to " + ScanFlyweight.MAX_BARCODE_LENGTH
                + " printable ASCII characters");
            return;
        }
        final ParcelTraces traces = api.get().traces();
        final io.sorthub.hub.ops.HubOps ops = api.get().ops().ops();
        vertx.executeBlocking(() -> traces.trace(barcode), false)
            .onSuccess(events -> answer(rc, barcode, events, ops))
            .onFailure(e -> HttpApiVerticle.error(rc, 500, "trace failed: " + e));
    }

    private void answer(RoutingContext rc, String barcode, List<ParcelTraces.Event> events,
                        io.sorthub.hub.ops.HubOps ops) {
        if (events.isEmpty()) {
            HttpApiVerticle.error(rc, 404, "no event for barcode " + barcode + " in this hub's journal");
            return;
        }
        final JsonArray list = new JsonArray();
        for (ParcelTraces.Event e : events) {
            final JsonObject event = new JsonObject();
            list.add(event
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
            if (!e.parcelId().isEmpty()) {
                event.put("parcelId", e.parcelId());
            }
            if (e.rekeyed()) {
                event.put("rekeyed", true); // routed by the barcode an operator keyed for its parcel id
            }
            if (e.holdReason() != null) {
                event.put("holdReason", e.holdReason());
            }
            if (e.kind().equals("CONFIRM_DIVERTED")) {
                final io.sorthub.hub.ops.Bags.Bag bag = ops.bags().at(e.reportedOutlet(), e.journalIndex());
                if (bag != null) {
                    event.put("bag", bag.id());
                }
            }
        }
        final JsonObject out = new JsonObject().put("barcode", barcode)
            .put("status", ParcelStatus.of(events, ops.confirmations(), clock.time()));
        final String hold = ops.holds().reasonOf(barcode);
        if (hold != null) {
            out.put("onHold", new JsonObject().put("reason", hold));
        }
        HttpApiVerticle.json(rc, 200, out.put("events", list));
    }
}
