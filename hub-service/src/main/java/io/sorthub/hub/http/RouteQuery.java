package io.sorthub.hub.http;

import io.sorthub.hub.routing.Decision;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.routing.RouteTrace;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.SortPlanHolder;
import io.sorthub.protocol.Ascii;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.ServiceClass;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/route?destination=518057&barcode=SF123&serviceClass=express&weight=1200&at=15:30}:
 * where would this parcel go now (or at that time of day), and why. Builds a SCAN from the
 * query and runs the plan in force on it with a trace; changes no state.
 */
final class RouteQuery {
    private static final Map<String, Integer> SERVICE = Map.of("unknown", ServiceClass.UNKNOWN,
        "standard", ServiceClass.STANDARD, "express", ServiceClass.EXPRESS, "economy", ServiceClass.ECONOMY,
        "freight", ServiceClass.FREIGHT);

    private final SortPlanHolder plans;
    private final OutletStates outlets;
    private final EpochClock clock;

    /** @param clock what "now" is, and which day {@code at=HH:MM} falls on */
    RouteQuery(SortPlanHolder plans, OutletStates outlets, EpochClock clock) {
        this.clock = clock;
        this.plans = plans;
        this.outlets = outlets;
    }

    static final Set<String> PARAMETERS = Set.of("destination", "barcode", "customer", "serviceClass", "weight",
        "length", "width", "height", "recirculations", "multiRead", "kind", "at");

    void handle(RoutingContext rc) {
        if (!QueryParameters.onlyKnown(rc, PARAMETERS)) {
            return;
        }
        final SortPlan plan = plans.current();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ScanFlyweight.MAX_LENGTH]);
        final long nowMs;
        try {
            final String kindText = param(rc, "kind", "sort_request");
            final EventKind kind;
            try {
                kind = EventKind.valueOf(kindText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kind '" + kindText + "' is not an event kind (e.g. sort_request, no_read)");
            }
            final String service = param(rc, "serviceClass", "unknown").toLowerCase(Locale.ROOT);
            if (!SERVICE.containsKey(service)) {
                throw new IllegalArgumentException("serviceClass '" + service + "' is not one of " + SERVICE.keySet());
            }
            nowMs = time(rc.request().getParam("at"), plan.timeZone());
            new ScanFlyweight().wrapForEncode(buffer, 0)
                .sequence(1)
                .deviceTimeMs(nowMs)
                .kind(kind)
                .serviceClass(SERVICE.get(service))
                .weightGrams(number(rc, "weight", 0, Integer.MAX_VALUE))
                .dimensionsMm(number(rc, "length", 0, 65535), number(rc, "width", 0, 65535), number(rc, "height", 0, 65535))
                .recirculations(number(rc, "recirculations", 0, 255))
                .flags(multiRead(rc) ? ScanFlyweight.FLAG_MULTI_READ : 0)
                .strings("api", field(rc, "barcode", ScanFlyweight.MAX_BARCODE_LENGTH),
                    field(rc, "destination", ScanFlyweight.MAX_DESTINATION_LENGTH),
                    field(rc, "customer", ScanFlyweight.MAX_CUSTOMER_LENGTH));
        } catch (IllegalArgumentException e) {
            HttpApiVerticle.error(rc, 400, e.getMessage());
            return;
        }
        final FrameDecoder decoder = new FrameDecoder();
        decoder.decode(buffer, 0, buffer.getInt(0, io.sorthub.protocol.Frame.BYTE_ORDER));
        final RouteTrace trace = new RouteTrace();
        final Decision decision = plan.explain(decoder.scan(), nowMs, outlets, new Decision(), trace);
        final JsonArray considered = new JsonArray();
        trace.considered().forEach(c -> considered.add(new JsonObject().put("outlet", c.outlet())
            .put("name", plan.outlets().containsKey(c.outlet()) ? plan.outlets().get(c.outlet()).name() : null)
            .put("status", c.status().label())));
        final JsonObject answer = new JsonObject()
            .put("outlet", decision.outlet)
            .put("reason", decision.reason.name().toLowerCase(Locale.ROOT))
            .put("ruleId", decision.ruleId)
            .put("planVersion", decision.planVersion)
            .put("considered", considered);
        if (trace.rule() != null) {
            answer.put("rule", new JsonObject().put("id", trace.rule().id()).put("line", trace.rule().line())
                .put("target", trace.rule().target()));
        }
        HttpApiVerticle.json(rc, 200, answer);
    }

    private static boolean multiRead(RoutingContext rc) {
        final String value = param(rc, "multiRead", "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("multiRead must be true or false, not '" + value + "'");
        }
        return value.equals("true");
    }

    private static String param(RoutingContext rc, String name, String fallback) {
        final String value = rc.request().getParam(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String field(RoutingContext rc, String name, int maxLength) {
        final String value = param(rc, name, "");
        if (value.length() > maxLength || !Ascii.isText(value)) {
            throw new IllegalArgumentException(name + " must be at most " + maxLength + " printable ASCII characters");
        }
        return value;
    }

    private static int number(RoutingContext rc, String name, int min, int max) {
        final String value = rc.request().getParam(name);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            final long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " '" + value + "' must be a whole number from " + min + " to " + max);
    }

    /** {@code at=HH:MM} today in the plan's zone; absent: now. */
    private long time(String at, String zone) {
        if (at == null || at.isEmpty()) {
            return clock.time();
        }
        try {
            final ZoneId id = ZoneId.of(zone);
            return LocalDate.ofInstant(Instant.ofEpochMilli(clock.time()), id).atTime(LocalTime.parse(at)).atZone(id)
                .toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("at '" + at + "' is not a time of day HH:MM");
        }
    }
}
