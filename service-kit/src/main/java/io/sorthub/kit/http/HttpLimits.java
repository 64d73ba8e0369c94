package io.sorthub.kit.http;

/**
 * Bounds of an HTTP port against clients that hold connections without using them (an idle
 * socket after the TLS handshake, a header dribbled a byte at a time, a body that never
 * ends): each would otherwise keep a file descriptor that the scan port and the journal share.
 *
 * @param idleTimeoutMs    no byte either way for this long: the connection is closed; after a
 *                         response, the next request's header must be complete within it too
 * @param headerTimeoutMs  the first request's header must be complete this long after the
 *                         connection opened (the TLS handshake too)
 * @param requestTimeoutMs a request's body must be complete this long after its header
 * @param maxConnections   open at once, at most; more are closed as they come
 */
public record HttpLimits(int idleTimeoutMs, int headerTimeoutMs, int requestTimeoutMs, int maxConnections) {
    public static final HttpLimits DEFAULTS = new HttpLimits(30_000, 10_000, 60_000, 256);

    /** @return what is wrong, naming the key, or null */
    public String problem() {
        if (idleTimeoutMs < 100 || headerTimeoutMs < 100 || requestTimeoutMs < 100) {
            return "httpIdleTimeoutMs, httpHeaderTimeoutMs and httpRequestTimeoutMs must be >= 100";
        }
        if (maxConnections < 1) {
            return "httpMaxConnections must be >= 1";
        }
        return null;
    }
}
