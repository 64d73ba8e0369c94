package io.sorthub.hub.http;

import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.Outlet;
import io.sorthub.hub.outlet.OutletStates;
import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.kit.time.Clocks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.sorthub.hub.security.ApiTokens;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP port: health, readiness, Prometheus metrics, and the hub engineer's API (sort
 * plan, dry-run routing, outlet state). Reads immutable snapshots; anything slow (plan
 * compilation, scraping) runs off the event loop. Runs on its own verticle, so a slow
 * request never delays a scan.
 */
public final class HttpApiVerticle extends VerticleBase {
    /** What a plan may be (PlanLimits): a 100,000-rule plan is about 6 MB of YAML. */
    static final long MAX_PLAN_BYTES = io.sorthub.hub.routing.compile.PlanLimits.MAX_PLAN_BYTES;
    static final long MAX_JSON_BYTES = 64L * 1024;
    static final long MAX_DEVICES_BYTES = 4L * 1024 * 1024;

    private final String host;
    private final int port;
    private final HubMetrics metrics;
    private final Supplier<ApiContext> api;
    private final BooleanSupplier ready;
    private final Supplier<JsonObject> status;
    private final io.vertx.core.net.PemKeyCertOptions tls;
    private final ApiTokens tokens;
    private final io.sorthub.kit.http.HttpLimits limits;
    private final boolean accessLog;
    private final Clocks clocks;
    /** 401s, 403s and slow or surplus connections, by remote host: each named, none flooding the log. */
    private final io.sorthub.kit.log.DistinctLog failures;
    private final java.util.concurrent.atomic.AtomicLong unauthenticated = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong forbidden = new java.util.concurrent.atomic.AtomicLong();
    private HttpServer server;
    private Router router;

    public HttpApiVerticle(String host, int port, HubMetrics metrics, Supplier<ApiContext> api, BooleanSupplier ready,
                           Supplier<JsonObject> status, io.vertx.core.net.PemKeyCertOptions tls, ApiTokens tokens,
                           Clocks clocks) {
        this(host, port, metrics, api, ready, status, tls, tokens, io.sorthub.kit.http.HttpLimits.DEFAULTS, false, clocks);
    }

    /**
     * @param accessLog one log line per request ({@link io.sorthub.kit.http.AccessLog})
     * @param clocks    the API's "now" and the HTTP deadlines (epoch ms), the access log's durations (monotonic)
     */
    public HttpApiVerticle(String host, int port, HubMetrics metrics, Supplier<ApiContext> api, BooleanSupplier ready,
                           Supplier<JsonObject> status, io.vertx.core.net.PemKeyCertOptions tls, ApiTokens tokens,
                           io.sorthub.kit.http.HttpLimits limits, boolean accessLog, Clocks clocks) {
        this.clocks = clocks;
        this.failures = io.sorthub.kit.log.DistinctLog.perMinute(
            org.slf4j.LoggerFactory.getLogger("io.sorthub.hub.http.HttpFailures"), clocks.epoch());
        this.limits = limits;
        this.accessLog = accessLog;
        this.tls = tls;
        this.tokens = tokens;
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.api = api;
        this.ready = ready;
        this.status = status;
    }

    @Override
    public Future<?> start() {
        router = Router.router(vertx);
        if (accessLog) {
            router.route().handler(new io.sorthub.kit.http.AccessLog(clocks.nanos()));
        }
        io.sorthub.kit.http.JsonErrors.install(router);
        router.get("/health").handler(io.sorthub.kit.http.HealthEndpoint.of(io.vertx.ext.healthchecks.HealthChecks.create(vertx)
            .register("hub", this::health), this::mayReadDetails));
        router.get("/ready").handler(io.sorthub.kit.http.HealthEndpoint.of(io.vertx.ext.healthchecks.HealthChecks.create(vertx)
            .register("ready", this::ready), this::mayReadDetails));
        router.get("/metrics").handler(needs(ApiTokens.Role.VIEWER))
            .handler(io.sorthub.kit.http.PrometheusEndpoint.of(metrics::scrape));
        router.get("/api/openapi.yaml").handler(OpenApi::serve); // the API's description, before the replay guard
        final PairApi pairApi = new PairApi(api);
        // One route for every method, the pair's guard sorting out changes inside: a PUT- or
        // POST-only route on /api/* would answer an unknown path 405 instead of 404, and a
        // second route would add itself to every request's route label.
        router.route("/api/*").handler(this::requireReplayed).handler(pairApi::refuseChangesUnlessActive);
        router.get("/api/pair").handler(needs(ApiTokens.Role.VIEWER)).handler(pairApi::status);
        router.post("/api/pair/switchover").handler(needs(ApiTokens.Role.ADMIN)).handler(pairApi::switchover);
        router.get("/api/sort-plan").handler(needs(ApiTokens.Role.VIEWER)).handler(this::getPlan);
        // Authorisation on a route of its own, ahead of the body handler: a caller without the
        // role is refused before the hub reads a (possibly 16 MiB) body.
        router.put("/api/sort-plan").handler(needs(ApiTokens.Role.ADMIN));
        router.put("/api/sort-plan").handler(SortPlanPut::bodyIsTheDocument);
        router.put("/api/sort-plan").handler(BodyHandler.create(false).setBodyLimit(MAX_PLAN_BYTES))
            .handler(new SortPlanPut(api, vertx, clocks.epoch())::handle);
        router.get("/api/route").handler(needs(ApiTokens.Role.VIEWER))
            .handler(rc -> new RouteQuery(api.get().plans(), api.get().outlets(), clocks.epoch()).handle(rc));
        router.get("/api/outlets").handler(needs(ApiTokens.Role.VIEWER)).handler(this::getOutlets);
        router.put("/api/outlets/:id").handler(needs(ApiTokens.Role.OPERATOR));
        router.put("/api/outlets/:id").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES)).handler(this::putOutlet);
        router.get("/api/parcels/:barcode").handler(needs(ApiTokens.Role.VIEWER))
            .handler(new ParcelQuery(api, vertx, clocks.epoch())::handle);
        final SourcesApi sourcesApi = new SourcesApi(api, vertx);
        router.get("/api/sources").handler(needs(ApiTokens.Role.VIEWER)).handler(sourcesApi::list);
        router.post("/api/sources/:id/reset").handler(needs(ApiTokens.Role.ADMIN)).handler(sourcesApi::reset);
        routeOps(router, new OpsApi(api, vertx, clocks.epoch()));
        // The hub's share of reply latency since the last call (the load rig reads it after each run).
        router.get("/api/latency").handler(needs(ApiTokens.Role.VIEWER))
            .handler(rc -> json(rc, 200, new JsonObject(new java.util.LinkedHashMap<>(metrics.replies().interval()))));
        router.get("/api/devices").handler(needs(ApiTokens.Role.ADMIN)).handler(this::getDevices);
        router.put("/api/devices").handler(needs(ApiTokens.Role.ADMIN));
        router.put("/api/devices").handler(BodyHandler.create(false).setBodyLimit(MAX_DEVICES_BYTES)).handler(this::putDevices);
        final io.sorthub.kit.http.HttpGuard guard = new io.sorthub.kit.http.HttpGuard(vertx, limits, failures, clocks.epoch());
        final io.vertx.core.http.HttpServerOptions options = guard.options(new io.vertx.core.http.HttpServerOptions());
        server = guard.guard(vertx.createHttpServer(tls == null ? options : options.setSsl(true).setKeyCertOptions(tls)), router);
        registerMeters(guard);
        vertx.setPeriodic(60_000, id -> failures.drain()); // the last burst of an attack told even if nothing follows
        return server.listen(port, host);
    }

    private void registerMeters(io.sorthub.kit.http.HttpGuard guard) {
        final var registry = metrics.registry();
        if (registry.find("sorthub_http_connections").gauge() != null) {
            return; // a restarted verticle on the same registry (a standby that rejoins)
        }
        guard.register(registry, "sorthub_http");
        for (var status : java.util.Map.of("401", unauthenticated, "403", forbidden).entrySet()) {
            io.micrometer.core.instrument.FunctionCounter.builder("sorthub_http_auth_failures", status.getValue(),
                    java.util.concurrent.atomic.AtomicLong::get).tag("status", status.getKey())
                .description("HTTP requests refused: 401 without a known token, 403 with too small a role").register(registry);
        }
    }

    /**
     * Serve {@code tls} from now on (a renewed certificate): new connections get it, open ones
     * keep theirs.
     */
    public Future<Boolean> updateTls(io.vertx.core.net.PemKeyCertOptions tls) {
        return server.updateSSLOptions(new io.vertx.core.net.ServerSSLOptions().setKeyCertOptions(tls), true);
    }

    static void json(RoutingContext rc, int status, Object body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(body instanceof JsonObject o ? o.encodePrettily() : ((JsonArray) body).encodePrettily());
    }

    static void error(RoutingContext rc, int status, String message) {
        json(rc, status, new JsonObject().put("error", message));
    }

    /**
     * With a tokens file, the request must carry a bearer token of at least this role: 401
     * without a known token, 403 with too small a role. The caller's name is the actor
     * recorded in the journal for what it changes. Without a tokens file the API is open.
     */
    private io.vertx.core.Handler<RoutingContext> needs(ApiTokens.Role role) {
        return rc -> {
            if (tokens == null) {
                rc.put("actor", "http " + rc.request().remoteAddress());
                rc.next();
                return;
            }
            final ApiTokens.Caller caller = tokens.caller(rc.request().getHeader("Authorization"));
            if (caller == null) {
                unauthenticated.incrementAndGet();
                failures.record("HTTP 401", remoteHost(rc), rc.request().method() + " " + rc.request().path()
                    + (rc.request().getHeader("Authorization") == null ? " without a token" : " with a token not in the tokens file"));
                rc.response().putHeader("WWW-Authenticate", "Bearer");
                error(rc, 401, "a bearer token is needed (Authorization: Bearer <token>)");
            } else if (!caller.may(role)) {
                forbidden.incrementAndGet();
                failures.record("HTTP 403", remoteHost(rc), caller.name() + " (" + caller.role().name().toLowerCase(
                    java.util.Locale.ROOT) + ") " + rc.request().method() + " " + rc.request().path() + ", which needs "
                    + role.name().toLowerCase(java.util.Locale.ROOT));
                error(rc, 403, caller.name() + " is " + caller.role().name().toLowerCase(java.util.Locale.ROOT)
                    + "; this needs " + role.name().toLowerCase(java.util.Locale.ROOT));
            } else {
                rc.put("actor", caller.name());
                rc.next();
            }
        };
    }

    private static String remoteHost(RoutingContext rc) {
        return rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
    }

    /** Until the journal is replayed there is no plan, no outlet state and no parcel index to show. */
    private void requireReplayed(RoutingContext rc) {
        if (api.get() == null) {
            error(rc, 503, "the hub is replaying its journal; try again shortly");
        } else {
            rc.next();
        }
    }

    /** UP, or DOWN naming the problem (e.g. the journal disk nearly full): 503, loud on purpose. */
    private void health(io.vertx.core.Promise<io.vertx.ext.healthchecks.Status> promise) {
        final JsonObject body = status.get();
        promise.complete(new io.vertx.ext.healthchecks.Status().setOk(!body.containsKey("problem")).setData(body));
    }

    private void ready(io.vertx.core.Promise<io.vertx.ext.healthchecks.Status> promise) {
        promise.complete(new io.vertx.ext.healthchecks.Status().setOk(ready.getAsBoolean()));
    }

    /** With a tokens file, what /health and /ready found is for viewers; others get UP or DOWN only. */
    private boolean mayReadDetails(RoutingContext rc) {
        if (tokens == null) {
            return true;
        }
        final ApiTokens.Caller caller = tokens.caller(rc.request().getHeader("Authorization"));
        return caller != null && caller.may(ApiTokens.Role.VIEWER);
    }

    private void getPlan(RoutingContext rc) {
        final SortPlan plan = api.get().plans().current();
        if ("yaml".equals(rc.request().getParam("format"))) {
            rc.response().putHeader("content-type", "application/yaml; charset=utf-8").end(plan.sourceText());
            return;
        }
        final JsonObject groups = new JsonObject();
        plan.groups().forEach((id, members) -> groups.put(id, new JsonArray(java.util.Arrays.stream(members).boxed().toList())));
        json(rc, 200, new JsonObject()
            .put("name", plan.name())
            .put("version", plan.version())
            .put("timeZone", plan.timeZone())
            .put("rules", plan.rules().size())
            .put("outlets", plan.outlets().size())
            .put("groups", groups)
            .put("rejectOutlet", plan.rejectOutlet())
            .put("defaultOutlet", plan.defaultOutlet())
            .put("overflowOutlet", plan.overflowOutlet())
            .put("maxRecirculations", plan.maxRecirculations())
            .put("warnings", new JsonArray(plan.warnings())));
    }

    /** Which sources may connect and how many secrets each has; never the secrets. */
    private void getDevices(RoutingContext rc) {
        final var devices = api.get().devices();
        if (devices == null) {
            error(rc, 409, "no devicesFile configured: device authentication is off (development only)");
            return;
        }
        final JsonArray sources = new JsonArray();
        devices.summary().forEach((id, secrets) -> sources.add(new JsonObject().put("sourceId", id).put("secrets", secrets)));
        json(rc, 200, new JsonObject().put("devicesFile", devices.file().toString()).put("sources", sources));
    }

    /**
     * Replace the device credentials (the devices file's YAML as the body): validated, written,
     * in force for the next HELLO, and journaled as an audit record (who, how many sources;
     * never the secrets). Open sessions stay open.
     */
    private void putDevices(RoutingContext rc) {
        final var devices = api.get().devices();
        if (devices == null) {
            error(rc, 409, "no devicesFile configured: device authentication is off (development only)");
            return;
        }
        final String text = rc.body().asString();
        final String actor = rc.get("actor");
        vertx.executeBlocking(() -> {
            final int count = devices.replace(text == null ? "" : text);
            api.get().control().audit(actor, "replaced the device credentials: " + count + " sources");
            if (api.get().pair() != null) {
                api.get().control().replicateDevices(devices.digestsYaml()); // the standbys take them too
            }
            return count;
        }, false)
            .onSuccess(count -> json(rc, 200, new JsonObject().put("sources", count)))
            .onFailure(e -> {
                if (e instanceof io.sorthub.hub.security.DeviceRegistry.DevicesException) {
                    error(rc, 400, "devices rejected, the devices in force stay: " + e.getMessage());
                } else {
                    error(rc, 500, "devices not replaced: " + e.getMessage());
                }
            });
    }

    private void getOutlets(RoutingContext rc) {
        final SortPlan plan = api.get().plans().current();
        final OutletStates outlets = api.get().outlets();
        final JsonArray list = new JsonArray();
        for (Outlet outlet : plan.outlets().values().stream().sorted(java.util.Comparator.comparingInt(Outlet::id)).toList()) {
            list.add(new JsonObject()
                .put("id", outlet.id())
                .put("name", outlet.name())
                .put("type", outlet.type().label())
                .put("status", outlets.status(outlet.id()).label())
                .put("group", groupOf(plan, outlet.id())));
        }
        json(rc, 200, list);
    }

    private static String groupOf(SortPlan plan, int outlet) {
        for (Map.Entry<String, int[]> group : plan.groups().entrySet()) {
            for (int member : group.getValue()) {
                if (member == outlet) {
                    return group.getKey();
                }
            }
        }
        return null;
    }

    private void putOutlet(RoutingContext rc) {
        final int id;
        try {
            id = Integer.parseInt(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            error(rc, 400, "outlet id '" + rc.pathParam("id") + "' is not a number");
            return;
        }
        if (!api.get().plans().current().outlets().containsKey(id)) {
            error(rc, 404, "outlet " + id + " is not in the sort plan in force");
            return;
        }
        final JsonObject body;
        try {
            body = rc.body().asJsonObject();
        } catch (DecodeException e) {
            error(rc, 400, "body is not JSON: " + e.getMessage());
            return;
        }
        final String text = body == null ? null : body.getValue("status") instanceof String s ? s : null;
        final OutletStatus status = text == null ? null : OutletStatus.parse(text);
        if (status == null) {
            error(rc, 400, "body must be {\"status\": \"available\" | \"full\" | \"disabled\"}");
            return;
        }
        final String actor = rc.get("actor");
        vertx.executeBlocking(() -> {
            api.get().control().setOutlet(id, status, actor);
            return status;
        }, false)
            .onSuccess(s -> json(rc, 200, new JsonObject().put("id", id).put("status", s.label())))
            .onFailure(e -> error(rc, 500, e.getMessage()));
    }

    /** Holds, overrides, re-keys, bags, the chute view: reads for viewers, changes for operators. */
    private void routeOps(Router router, OpsApi ops) {
        router.get("/api/holds").handler(needs(ApiTokens.Role.VIEWER)).handler(ops::listHolds);
        router.post("/api/holds").handler(needs(ApiTokens.Role.OPERATOR));
        router.post("/api/holds").handler(BodyHandler.create(false).setBodyLimit(OpsApi.MAX_HOLDS_BYTES)).handler(ops::loadHolds);
        router.get("/api/holds/:barcode").handler(needs(ApiTokens.Role.VIEWER)).handler(ops::getHold);
        router.put("/api/holds/:barcode").handler(needs(ApiTokens.Role.OPERATOR));
        router.put("/api/holds/:barcode").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES)).handler(ops::putHold);
        router.delete("/api/holds/:barcode").handler(needs(ApiTokens.Role.OPERATOR)).handler(ops::deleteHold);
        router.get("/api/overrides").handler(needs(ApiTokens.Role.VIEWER)).handler(ops::listOverrides);
        router.post("/api/overrides").handler(needs(ApiTokens.Role.OPERATOR));
        router.post("/api/overrides").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES)).handler(ops::postOverride);
        router.delete("/api/overrides/:scope/:key").handler(needs(ApiTokens.Role.OPERATOR)).handler(ops::deleteOverride);
        router.post("/api/rekeys").handler(needs(ApiTokens.Role.OPERATOR));
        router.post("/api/rekeys").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES)).handler(ops::postRekey);
        router.get("/api/rekeys/:parcelId").handler(needs(ApiTokens.Role.VIEWER)).handler(ops::getRekey);
        router.put("/api/outlets/:id/bag").handler(needs(ApiTokens.Role.OPERATOR));
        router.put("/api/outlets/:id/bag").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES)).handler(ops::openBag);
        router.post("/api/outlets/:id/bag/seal").handler(needs(ApiTokens.Role.OPERATOR)).handler(ops::sealBag);
        router.get("/api/outlets/:id/parcels").handler(needs(ApiTokens.Role.VIEWER)).handler(ops::chuteParcels);
        router.get("/api/bags/:id").handler(needs(ApiTokens.Role.VIEWER)).handler(ops::getBag);
    }

    /** Every route, once started: what the OpenAPI description is held to. */
    java.util.List<io.vertx.ext.web.Route> routes() {
        return router.getRoutes();
    }

    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
