package io.sorthub.hub.http;

import io.sorthub.hub.control.OpsControl;
import io.sorthub.hub.ops.Bags;
import io.sorthub.hub.ops.ChuteHistory;
import io.sorthub.hub.ops.HubOps;
import io.sorthub.hub.ops.OpsChange;
import io.sorthub.hub.ops.Overrides;
import io.sorthub.protocol.ScanFlyweight;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.concurrent.EpochClock;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The hub's exceptions over HTTP (OPERATIONS.md, "Interceptions, re-keys, overrides, bags"):
 * the hold list, overrides, re-keys, bags and the per-chute view. Reads are viewer's,
 * changes operator's; every change is journaled before it answers. Handlers run on the HTTP
 * verticle's event loop; journaling and journal reads on a worker.
 */
final class OpsApi {
    /** A bulk hold load: a few million barcodes. */
    static final long MAX_HOLDS_BYTES = 64L * 1024 * 1024;
    /** Errors listed at most for a refused bulk load (all are counted). */

    private final Supplier<ApiContext> api;
    private final Vertx vertx;
    private final EpochClock clock;

    OpsApi(Supplier<ApiContext> api, Vertx vertx, EpochClock clock) {
        this.clock = clock;
        this.api = api;
        this.vertx = vertx;
    }

    private OpsControl control() {
        return api.get().ops();
    }

    private HubOps ops() {
        return control().ops();
    }

    // --- holds ------------------------------------------------------------------------------

    void listHolds(RoutingContext rc) {
        final Query q = Query.of(rc, Set.of("offset", "limit"));
        if (q == null) {
            return;
        }
        final Integer offset = q.intValue("offset", 0, 0, Integer.MAX_VALUE);
        final Integer limit = offset == null ? null : q.intValue("limit", 100, 1, 10_000);
        if (limit == null) {
            return;
        }
        final JsonArray holds = new JsonArray();
        ops().holds().list(offset, limit).forEach(h -> holds.add(new JsonObject().put("barcode", h.barcode())
            .put("reason", h.reason())));
        HttpApiVerticle.json(rc, 200, new JsonObject().put("count", ops().holds().size()).put("holds", holds));
    }

    void getHold(RoutingContext rc) {
        final String barcode = rc.pathParam("barcode");
        final String bad = OpsChange.barcodeError(barcode);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        final String reason = ops().holds().reasonOf(barcode);
        if (reason == null) {
            HttpApiVerticle.error(rc, 404, "barcode " + barcode + " is not on hold");
        } else {
            HttpApiVerticle.json(rc, 200, new JsonObject().put("barcode", barcode).put("reason", reason));
        }
    }

    void putHold(RoutingContext rc) {
        final String barcode = rc.pathParam("barcode");
        final String bad = OpsChange.barcodeError(barcode);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        final JsonObject body = Bodies.object(rc, Set.of("reason"), false);
        if (body == null) {
            return;
        }
        final String reason = Bodies.string(rc, body, "reason", false);
        if (reason == null && rc.response().ended()) {
            return;
        }
        final String why = reason == null ? "" : reason;
        final String badReason = OpsChange.checkReason(why);
        if (badReason != null) {
            HttpApiVerticle.error(rc, 400, badReason);
            return;
        }
        blocking(rc, () -> control().hold(List.of(new OpsControl.Hold(barcode, why)), false, rc.get("actor")),
            count -> HttpApiVerticle.json(rc, 200, new JsonObject().put("barcode", barcode).put("reason", why)
                .put("holds", count)));
    }

    void deleteHold(RoutingContext rc) {
        final String barcode = rc.pathParam("barcode");
        final String bad = OpsChange.barcodeError(barcode);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        blocking(rc, () -> control().release(barcode, rc.get("actor")), released -> {
            if (released) {
                HttpApiVerticle.json(rc, 200, new JsonObject().put("barcode", barcode).put("released", true));
            } else {
                HttpApiVerticle.error(rc, 404, "barcode " + barcode + " is not on hold");
            }
        });
    }

    /**
     * Bulk load: a text body, one barcode per line, optionally a tab or comma and a reason.
     * Every line is checked before anything is journaled: one bad line refuses the load.
     */
    void loadHolds(RoutingContext rc) {
        final Query q = Query.of(rc, Set.of("replace"));
        if (q == null) {
            return;
        }
        final String replaceText = q.get("replace");
        if (replaceText != null && !replaceText.equals("true") && !replaceText.equals("false")) {
            HttpApiVerticle.error(rc, 400, "replace must be true or false, not '" + replaceText + "'");
            return;
        }
        final boolean replace = "true".equals(replaceText);
        final String text = rc.body().asString("UTF-8");
        // Millions of lines: read off the event loop, then journaled off it too.
        vertx.executeBlocking(() -> HoldLines.parse(text), false).onSuccess(read -> {
            if (read.errorCount() > 0) {
                HttpApiVerticle.json(rc, 400, new JsonObject().put("error", read.errorCount() + " bad lines; nothing was loaded")
                    .put("errors", read.errors()));
                return;
            }
            if (read.holds().isEmpty() && !replace) {
                HttpApiVerticle.error(rc, 400, "the body holds no barcode (one per line, optionally TAB or comma and a reason)");
                return;
            }
            blocking(rc, () -> control().hold(read.holds(), replace, rc.get("actor")),
                count -> HttpApiVerticle.json(rc, 200, new JsonObject().put("loaded", read.holds().size()).put("replaced", replace)
                    .put("holds", count)));
        }).onFailure(e -> HttpApiVerticle.error(rc, 500, "hold list: " + e.getMessage()));
    }

    // --- overrides ----------------------------------------------------------------------------

    void listOverrides(RoutingContext rc) {
        final JsonArray list = new JsonArray();
        ops().overrides().list(clock.time()).forEach(o -> list.add(override(o)));
        HttpApiVerticle.json(rc, 200, list);
    }

    private static JsonObject override(Overrides.Override o) {
        return new JsonObject().put(o.scope() == Overrides.Scope.BARCODE ? "barcode" : "destination", o.key())
            .put("outlet", o.outlet()).put("until", Instant.ofEpochMilli(o.untilMs()).toString()).put("by", o.actor());
    }

    /** {@code {"barcode"|"destination": KEY, "outlet": N, "until": ISO-8601 | "minutes": N}} */
    void postOverride(RoutingContext rc) {
        final JsonObject body = Bodies.object(rc, Set.of("barcode", "destination", "outlet", "until", "minutes"), true);
        if (body == null) {
            return;
        }
        if (body.containsKey("barcode") == body.containsKey("destination")) {
            HttpApiVerticle.error(rc, 400, "give exactly one of \"barcode\" and \"destination\"");
            return;
        }
        final Overrides.Scope scope = body.containsKey("barcode") ? Overrides.Scope.BARCODE : Overrides.Scope.DESTINATION;
        final String field = scope == Overrides.Scope.BARCODE ? "barcode" : "destination";
        final String key = Bodies.string(rc, body, field, true);
        if (key == null) {
            return;
        }
        final String bad = OpsChange.checkCode(field, key, scope == Overrides.Scope.BARCODE
            ? ScanFlyweight.MAX_BARCODE_LENGTH : ScanFlyweight.MAX_DESTINATION_LENGTH);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        final Integer outlet = Bodies.integer(rc, body, "outlet", 1, 0xFFFF);
        if (outlet == null) {
            return;
        }
        final long untilMs;
        if (body.containsKey("until") == body.containsKey("minutes")) {
            HttpApiVerticle.error(rc, 400, "give exactly one of \"until\" (ISO-8601 time) and \"minutes\"");
            return;
        } else if (body.containsKey("minutes")) {
            final Integer minutes = Bodies.integer(rc, body, "minutes", 1, (int) (OpsControl.MAX_OVERRIDE_MS / 60_000));
            if (minutes == null) {
                return;
            }
            untilMs = clock.time() + minutes * 60_000L;
        } else {
            final String until = Bodies.string(rc, body, "until", true);
            if (until == null) {
                return;
            }
            try {
                untilMs = Instant.parse(until).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                HttpApiVerticle.error(rc, 400, "until '" + until + "' is not an ISO-8601 time such as 2026-12-03T18:00:00Z");
                return;
            }
        }
        blocking(rc, () -> {
            control().override(scope, key, outlet, untilMs, rc.get("actor"));
            return ops().overrides().find(scope, key, clock.time());
        }, o -> HttpApiVerticle.json(rc, 200, override(o)));
    }

    void deleteOverride(RoutingContext rc) {
        final String scopeText = rc.pathParam("scope");
        if (!scopeText.equals("barcode") && !scopeText.equals("destination")) {
            HttpApiVerticle.error(rc, 404, "no override scope '" + scopeText + "' (barcode or destination)");
            return;
        }
        final String key = rc.pathParam("key");
        final String bad = OpsChange.checkCode(scopeText, key, scopeText.equals("barcode")
            ? ScanFlyweight.MAX_BARCODE_LENGTH : ScanFlyweight.MAX_DESTINATION_LENGTH);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        blocking(rc, () -> control().cancelOverride(OpsChange.scope(scopeText), key, rc.get("actor")), cancelled -> {
            if (cancelled) {
                HttpApiVerticle.json(rc, 200, new JsonObject().put(scopeText, key).put("cancelled", true));
            } else {
                HttpApiVerticle.error(rc, 404, "no override in force for " + scopeText + " " + key);
            }
        });
    }

    // --- re-keys ------------------------------------------------------------------------------

    /** {@code {"parcelId": ID, "barcode": CODE}}: route the parcel's next sort request by CODE. */
    void postRekey(RoutingContext rc) {
        final JsonObject body = Bodies.object(rc, Set.of("parcelId", "barcode"), true);
        if (body == null) {
            return;
        }
        final String parcelId = Bodies.string(rc, body, "parcelId", true);
        final String barcode = parcelId == null ? null : Bodies.string(rc, body, "barcode", true);
        if (barcode == null) {
            return;
        }
        String bad = OpsChange.checkCode("parcelId", parcelId, ScanFlyweight.MAX_PARCEL_ID_LENGTH);
        if (bad == null) {
            bad = OpsChange.barcodeError(barcode);
        }
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        blocking(rc, () -> {
            control().rekey(parcelId, barcode, rc.get("actor"));
            return barcode;
        }, done -> HttpApiVerticle.json(rc, 200, new JsonObject().put("parcelId", parcelId).put("barcode", barcode)));
    }

    void getRekey(RoutingContext rc) {
        final String parcelId = rc.pathParam("parcelId");
        final String bad = OpsChange.checkCode("parcelId", parcelId, ScanFlyweight.MAX_PARCEL_ID_LENGTH);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        final String barcode = ops().rekeys().find(parcelId);
        if (barcode == null) {
            HttpApiVerticle.error(rc, 404, "parcel id " + parcelId + " has no re-keyed barcode");
        } else {
            HttpApiVerticle.json(rc, 200, new JsonObject().put("parcelId", parcelId).put("barcode", barcode));
        }
    }

    // --- bags and chutes ----------------------------------------------------------------------

    /** {@code PUT /api/outlets/{id}/bag} {@code {"bagId": ID}}: open a bag, sealing the one open there. */
    void openBag(RoutingContext rc) {
        final Integer outlet = outletParam(rc);
        if (outlet == null) {
            return;
        }
        final JsonObject body = Bodies.object(rc, Set.of("bagId"), true);
        final String bagId = body == null ? null : Bodies.string(rc, body, "bagId", true);
        if (bagId == null) {
            return;
        }
        final String bad = OpsChange.checkCode("bagId", bagId, ScanFlyweight.MAX_BARCODE_LENGTH);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        blocking(rc, () -> control().openBag(outlet, bagId, rc.get("actor")), sealed -> {
            final JsonObject out = new JsonObject().put("outlet", outlet).put("bag", bag(ops().bags().find(bagId)));
            out.put("sealed", sealed == null ? null : bag(sealed));
            HttpApiVerticle.json(rc, 200, out);
        });
    }

    /** {@code POST /api/outlets/{id}/bag/seal}: seal the bag open at the outlet. */
    void sealBag(RoutingContext rc) {
        final Integer outlet = outletParam(rc);
        if (outlet == null) {
            return;
        }
        blocking(rc, () -> control().sealBag(outlet, rc.get("actor")), sealed -> {
            if (sealed == null) {
                HttpApiVerticle.error(rc, 404, "no bag is open at outlet " + outlet);
            } else {
                HttpApiVerticle.json(rc, 200, bag(sealed));
            }
        });
    }

    void getBag(RoutingContext rc) {
        final String bagId = rc.pathParam("id");
        final String bad = OpsChange.checkCode("bag id", bagId, ScanFlyweight.MAX_BARCODE_LENGTH);
        if (bad != null) {
            HttpApiVerticle.error(rc, 400, bad);
            return;
        }
        final Bags.Bag bag = ops().bags().find(bagId);
        if (bag == null) {
            HttpApiVerticle.error(rc, 404, "bag " + bagId + " is not known to this hub");
            return;
        }
        vertx.executeBlocking(() -> api.get().history().parcels(bag), false).onSuccess(parcels -> {
            final JsonArray list = new JsonArray();
            parcels.forEach(p -> list.add(new JsonObject().put("barcode", p.barcode())
                .put("confirmedAt", Instant.ofEpochMilli(p.confirmedAtMs()).toString()).put("journalIndex", p.journalIndex())));
            HttpApiVerticle.json(rc, 200, bag(bag).put("count", parcels.size()).put("parcels", list));
        }).onFailure(e -> HttpApiVerticle.error(rc, 500, "bag " + bagId + ": " + e.getMessage()));
    }

    /** {@code GET /api/outlets/{id}/parcels?since=ISO|minutes=N&limit=N}: what a supervisor checks at a jam. */
    void chuteParcels(RoutingContext rc) {
        final Integer outlet = outletParam(rc);
        if (outlet == null) {
            return;
        }
        final Query q = Query.of(rc, Set.of("since", "minutes", "limit"));
        if (q == null) {
            return;
        }
        final long sinceMs;
        if (q.get("since") != null) {
            try {
                sinceMs = Instant.parse(q.get("since")).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                HttpApiVerticle.error(rc, 400, "since '" + q.get("since") + "' is not an ISO-8601 time such as 2026-12-03T18:00:00Z");
                return;
            }
        } else {
            final Integer minutes = q.intValue("minutes", 15, 1, 24 * 60);
            if (minutes == null) {
                return;
            }
            sinceMs = clock.time() - minutes * 60_000L;
        }
        final Integer limit = q.intValue("limit", 200, 1, ChuteHistory.MAX_PARCELS);
        if (limit == null) {
            return;
        }
        vertx.executeBlocking(() -> api.get().history().recent(outlet, sinceMs, limit), false).onSuccess(parcels -> {
            final JsonArray list = new JsonArray();
            parcels.forEach(p -> list.add(new JsonObject().put("barcode", p.barcode()).put("event", p.event())
                .put("at", Instant.ofEpochMilli(p.atMs()).toString()).put("reason", p.reason())
                .put("journalIndex", p.journalIndex())));
            final Bags.Bag open = ops().bags().openAt(outlet);
            HttpApiVerticle.json(rc, 200, new JsonObject().put("outlet", outlet)
                .put("since", Instant.ofEpochMilli(sinceMs).toString())
                .put("bag", open == null ? null : bag(open)).put("parcels", list));
        }).onFailure(e -> HttpApiVerticle.error(rc, 500, "outlet " + outlet + ": " + e.getMessage()));
    }

    static JsonObject bag(Bags.Bag bag) {
        return new JsonObject().put("bagId", bag.id()).put("outlet", bag.outlet())
            .put("openedAt", Instant.ofEpochMilli(bag.openedAtMs()).toString())
            .put("sealedAt", bag.open() ? null : Instant.ofEpochMilli(bag.sealedAtMs()).toString());
    }

    private Integer outletParam(RoutingContext rc) {
        final int id;
        try {
            id = Integer.parseInt(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            HttpApiVerticle.error(rc, 400, "outlet id '" + rc.pathParam("id") + "' is not a number");
            return null;
        }
        if (!api.get().plans().current().hasOutlet(id)) {
            HttpApiVerticle.error(rc, 404, "outlet " + id + " is not in the sort plan in force");
            return null;
        }
        return id;
    }

    /** Run a change on a worker; 400 for what the hub's state refuses, 503 when the journal did not take it. */
    private <T> void blocking(RoutingContext rc, Callable<T> change, java.util.function.Consumer<T> answer) {
        vertx.executeBlocking(change, false).onSuccess(answer::accept).onFailure(e -> {
            if (e instanceof IllegalArgumentException) {
                HttpApiVerticle.error(rc, 400, e.getMessage());
            } else {
                HttpApiVerticle.error(rc, 503, e.getMessage());
            }
        });
    }

    /** Query parameters: known names only, whole numbers in range; each problem answered 400 by name. */
    static final class Query {
        private final RoutingContext rc;

        private Query(RoutingContext rc) {
            this.rc = rc;
        }

        static Query of(RoutingContext rc, Set<String> known) {
            return QueryParameters.onlyKnown(rc, known) ? new Query(rc) : null;
        }

        String get(String name) {
            return rc.queryParams().get(name);
        }

        /** The parameter, or {@code absent} when not given; null after a 400. */
        Integer intValue(String name, int absent, int min, int max) {
            final String text = get(name);
            if (text == null) {
                return absent;
            }
            try {
                final int value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            HttpApiVerticle.error(rc, 400, name + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
            return null;
        }
    }

    /** JSON bodies: an object, known keys only, typed fields; each problem answered 400 by name. */
    static final class Bodies {
        private Bodies() {
        }

        static JsonObject object(RoutingContext rc, Set<String> keys, boolean required) {
            final JsonObject body;
            try {
                body = rc.body().length() == 0 ? null : rc.body().asJsonObject();
            } catch (DecodeException | ClassCastException e) {
                HttpApiVerticle.error(rc, 400, "body is not a JSON object");
                return null;
            }
            if (body == null) {
                if (required) {
                    HttpApiVerticle.error(rc, 400, "a JSON object body is required with " + String.join(", ", new java.util.TreeSet<>(keys)));
                    return null;
                }
                return new JsonObject();
            }
            for (String key : body.fieldNames()) {
                if (!keys.contains(key)) {
                    HttpApiVerticle.error(rc, 400, "unknown field \"" + key + "\" (known: "
                        + String.join(", ", new java.util.TreeSet<>(keys)) + ")");
                    return null;
                }
            }
            return body;
        }

        /** The string field, or null (then 400 was sent unless it was optional and absent). */
        static String string(RoutingContext rc, JsonObject body, String key, boolean required) {
            final Object value = body.getValue(key);
            if (value instanceof String s) {
                return s;
            }
            if (value != null || required) {
                HttpApiVerticle.error(rc, 400, "\"" + key + "\" must be a string");
            }
            return null;
        }

        static Integer integer(RoutingContext rc, JsonObject body, String key, int min, int max) {
            final Object value = body.getValue(key);
            if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < min || n.doubleValue() > max) {
                HttpApiVerticle.error(rc, 400, "\"" + key + "\" must be a whole number from " + min + " to " + max);
                return null;
            }
            return n.intValue();
        }
    }
}
