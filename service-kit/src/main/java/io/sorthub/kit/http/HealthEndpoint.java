package io.sorthub.kit.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.util.function.Predicate;

/**
 * A health or readiness endpoint on Vert.x's {@link HealthCheckHandler}: 200 {@code UP} or
 * 503 {@code DOWN}, and the checks behind it with what they found. Callers that may not read
 * the details (no token where tokens are configured) get the outcome alone: a health endpoint
 * must not tell a stranger where the journal is or which plan runs.
 */
public final class HealthEndpoint {
    private HealthEndpoint() {
    }

    public static Handler<RoutingContext> of(HealthChecks checks, Predicate<RoutingContext> mayReadDetails) {
        final HealthCheckHandler full = HealthCheckHandler.createWithHealthChecks(checks);
        final HealthCheckHandler outcome = HealthCheckHandler.createWithHealthChecks(checks)
            .resultMapper(result -> Future.succeededFuture(new CheckResult()
                .setStatus(new Status().setOk(CheckResult.isUp(result)))));
        return rc -> (mayReadDetails.test(rc) ? full : outcome).handle(rc);
    }
}
