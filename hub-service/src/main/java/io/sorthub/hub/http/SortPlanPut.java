package io.sorthub.hub.http;

import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.sorthub.hub.whatif.ReportJson;
import io.sorthub.hub.whatif.WhatIfReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.agrona.concurrent.EpochClock;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code PUT /api/sort-plan}: compile the YAML body and put it in force; with
 * {@code ?dryRun=true}, compile it and replay the last {@code hours} of the journal through
 * it instead (the what-if report), leaving the plan in force alone. Both run on a worker:
 * a 100,000-rule plan takes about a second to compile, and a replay reads the journal.
 */
final class SortPlanPut {
    static final Set<String> PARAMETERS = Set.of("dryRun", "hours", "capacity");
    static final int DEFAULT_HOURS = 24;
    static final int MAX_HOURS = 31 * 24;

    private final Supplier<ApiContext> api;
    private final Vertx vertx;
    private final EpochClock clock;
    /** One replay at a time: it is a full read of the journal. */
    private final AtomicBoolean replaying = new AtomicBoolean();

    SortPlanPut(Supplier<ApiContext> api, Vertx vertx, EpochClock clock) {
        this.clock = clock;
        this.api = api;
        this.vertx = vertx;
    }

    /**
     * The body is the plan file itself, whatever the client called it: {@code curl --data-binary
     * @plan.yaml} labels it a form (application/x-www-form-urlencoded), and a body handler would
     * then decode a 6 MB plan as form fields and refuse it. A multipart upload ({@code curl -F})
     * is not the file; it is refused saying how to send it.
     */
    static void bodyIsTheDocument(RoutingContext rc) {
        final String type = rc.request().getHeader("content-type");
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            HttpApiVerticle.error(rc, 415, "send the plan file itself as the body (curl --data-binary @plan.yaml, "
                + "or content type application/yaml), not as a multipart form");
            return;
        }
        if (type == null || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            rc.request().headers().set("content-type", "application/yaml");
        }
        rc.next();
    }

    void handle(RoutingContext rc) {
        if (!QueryParameters.onlyKnown(rc, PARAMETERS)) {
            return;
        }
        final String text = rc.body().asString();
        if (text == null || text.isBlank()) {
            HttpApiVerticle.error(rc, 400, "empty body: send the sort plan YAML as the request body");
            return;
        }
        final String dryRun = rc.request().getParam("dryRun", "false");
        if (!dryRun.equals("true") && !dryRun.equals("false")) {
            HttpApiVerticle.error(rc, 400, "dryRun must be true or false, not '" + dryRun + "'");
            return;
        }
        if (dryRun.equals("true")) {
            dryRun(rc, text);
        } else if (rc.queryParams().contains("hours") || rc.queryParams().contains("capacity")) {
            HttpApiVerticle.error(rc, 400, "hours and capacity go with dryRun=true");
        } else {
            install(rc, text);
        }
    }

    private void install(RoutingContext rc, String text) {
        final String actor = rc.get("actor");
        vertx.executeBlocking(() -> api.get().control().installPlan(text, actor), false)
            .onSuccess(plan -> HttpApiVerticle.json(rc, 200, new JsonObject()
                .put("version", plan.version())
                .put("name", plan.name())
                .put("rules", plan.rules().size())
                .put("warnings", new JsonArray(plan.warnings()))))
            .onFailure(e -> failed(rc, e, "sort plan rejected, the running plan stays: ", "sort plan not installed: "));
    }

    private void dryRun(RoutingContext rc, String text) {
        final long hours;
        final long capacity;
        try {
            hours = number(rc, "hours", DEFAULT_HOURS, 1, MAX_HOURS);
            capacity = number(rc, "capacity", 0, 1, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            HttpApiVerticle.error(rc, 400, e.getMessage());
            return;
        }
        if (!replaying.compareAndSet(false, true)) {
            HttpApiVerticle.error(rc, 409, "a dry run is already replaying the journal; try again when it is done");
            return;
        }
        final long toMs = clock.time();
        final long fromMs = toMs - TimeUnit.HOURS.toMillis(hours);
        vertx.executeBlocking(() -> {
            try {
                final SortPlan candidate = new SortPlanCompiler().compile(text, 0);
                final WhatIfReport report = api.get().whatIf().replay(candidate, fromMs, toMs, capacity, n -> { });
                return ReportJson.of(report).put("dryRun", true).put("hours", hours)
                    .put("warnings", new JsonArray(candidate.warnings()));
            } finally {
                replaying.set(false);
            }
        }, false)
            .onSuccess(report -> HttpApiVerticle.json(rc, 200, report))
            .onFailure(e -> failed(rc, e, "sort plan refused (dry run, nothing changed): ", "dry run failed: "));
    }

    private static void failed(RoutingContext rc, Throwable e, String refused, String broken) {
        if (e instanceof SortPlanException plan) {
            final String first = plan.errors().get(0).toString();
            final int count = plan.errors().size() + plan.notShown();
            HttpApiVerticle.json(rc, 400, new JsonObject()
                .put("error", refused + (count == 1 ? first : count + " errors, the first: " + first))
                .put("errors", new JsonArray(plan.lines())));
        } else {
            HttpApiVerticle.error(rc, 500, broken + e.getMessage());
        }
    }

    private static long number(RoutingContext rc, String name, long fallback, long min, long max) {
        final String value = rc.request().getParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            final long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " '" + value + "' must be a whole number from " + min + " to " + max);
    }
}
