package io.sorthub.kit.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request, off unless asked for ({@code httpAccessLog: true}): remote host,
 * method, path, status, bytes sent, milliseconds and who (the token's name, when the route
 * knew it). The query string is left out (it may carry what a careless client put there),
 * and so is every header: the Authorization header never reaches a log.
 */
public final class AccessLog implements Handler<RoutingContext> {
    /** Its own logger, so that it can be sent elsewhere or turned off in the Logback file too. */
    public static final String LOGGER = "io.sorthub.http.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final NanoClock clock;

    public AccessLog(NanoClock clock) {
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext rc) {
        final long start = clock.nanoTime();
        rc.addBodyEndHandler(v -> {
            final Object who = rc.get("actor");
            LOG.info("{} {} {} {} {} bytes {} ms{}", rc.request().remoteAddress() == null ? "?"
                    : rc.request().remoteAddress().hostAddress(), rc.request().method(), rc.request().path(),
                rc.response().getStatusCode(), rc.response().bytesWritten(), (clock.nanoTime() - start) / 1_000_000,
                who == null ? "" : " by " + who);
        });
        rc.next();
    }
}
