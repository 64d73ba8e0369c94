package io.sorthub.hub.whatif;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A what-if report as JSON (for {@code --json} and {@code PUT /api/sort-plan?dryRun=true}).
 * Long lists keep their first {@link #MAX_ITEMS} entries, with the full count beside them;
 * {@code --csv} has everything.
 */
public final class ReportJson {
    static final int MAX_ITEMS = 1000;

    private ReportJson() {
    }

    public static JsonObject of(WhatIfReport r) {
        final JsonObject json = new JsonObject()
            .put("plan", r.planName())
            .put("timeZone", r.zone().getId())
            .put("parcels", r.parcels())
            .put("first", r.parcels() == 0 ? null : ReportTimes.iso(r.firstMs(), r.zone()))
            .put("last", r.parcels() == 0 ? null : ReportTimes.iso(r.lastMs(), r.zone()))
            .put("planChangesInWindow", r.planChanges())
            .put("changedOutlet", r.changedOutlet())
            .put("changedReason", r.changedReason());
        list(json, "outletChanges", r.outletChanges(), c -> new JsonObject().put("from", c.from()).put("to", c.to())
            .put("parcels", c.parcels()));
        list(json, "reasons", r.reasons(), c -> new JsonObject().put("reason", name(c.reason())).put("before", c.before())
            .put("after", c.after()));
        list(json, "reasonChanges", r.reasonChanges(), c -> new JsonObject().put("from", name(c.from()))
            .put("to", name(c.to())).put("parcels", c.parcels()));
        final JsonObject categories = new JsonObject();
        r.categories().forEach(c -> categories.put(c.name(), new JsonObject().put("before", c.before())
            .put("after", c.after()).put("newly", c.newly())));
        json.put("answers", categories);
        list(json, "outlets", r.outlets(), o -> new JsonObject().put("outlet", o.outlet()).put("name", o.name())
            .put("before", o.before()).put("after", o.after())
            .put("peakHourBefore", o.peakBefore() == 0 ? null : new JsonObject()
                .put("hour", ReportTimes.iso(o.peakBeforeHourMs(), r.zone())).put("parcels", o.peakBefore()))
            .put("peakHourAfter", o.peakAfter() == 0 ? null : new JsonObject()
                .put("hour", ReportTimes.iso(o.peakAfterHourMs(), r.zone())).put("parcels", o.peakAfter())));
        json.put("capacityPerHour", r.capacityPerHour())
            .put("capacityFrom", r.capacityGiven() ? "given" : "the busiest outlet-hour in the journal");
        list(json, "overloads", r.overloads(), h -> hour(h, r));
        list(json, "unusedRules", r.unusedRules(), u -> new JsonObject().put("id", u.id()).put("line", u.line()));
        list(json, "hourly", r.hourly(), h -> hour(h, r));
        return json.put("replayMs", r.elapsedNs() / 1_000_000).put("decisionsPerSecond", Math.round(r.decisionsPerSecond()));
    }

    private static JsonObject hour(WhatIfReport.HourLoad h, WhatIfReport r) {
        return new JsonObject().put("hour", ReportTimes.iso(h.hourMs(), r.zone())).put("outlet", h.outlet())
            .put("before", h.before()).put("after", h.after());
    }

    private static <T> void list(JsonObject json, String name, List<T> items, Function<T, JsonObject> item) {
        final JsonArray array = new JsonArray();
        items.stream().limit(MAX_ITEMS).forEach(i -> array.add(item.apply(i)));
        json.put(name, array);
        if (items.size() > MAX_ITEMS) {
            json.put(name + "Count", items.size());
        }
    }

    static String name(io.sorthub.protocol.DecisionReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
