package io.sorthub.kit.net;

import java.net.BindException;
import java.net.UnknownHostException;

/**
 * A port that could not be opened, said the way an operator can act on it: which setting,
 * which host and port, and why ({@code in use}, {@code not an address of this machine}).
 * The JDK says only "Address already in use", without the port; Netty's native epoll transport
 * says "bind(..) failed: Address already in use" in an IOException of its own.
 */
public final class ListenFailure extends Exception {
    private ListenFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code failure} said the way an operator can act on it when a port or host is the reason,
     * else {@code failure} itself (a failed listen can also be a bad TLS file, say).
     *
     * @param what the setting that names the port, e.g. {@code httpPort} or {@code device 'tunnel-1' port}
     */
    public static Exception explain(String what, String host, int port, Exception failure) {
        Throwable e = failure;
        while ((e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.CompletionException)
            && e.getCause() != null) {
            e = e.getCause();
        }
        final String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        final String why;
        final boolean io = e instanceof java.io.IOException;
        if (io && text.contains("already in use")) {
            why = "port " + port + " is in use by another process";
        } else if (io && text.contains("assign requested address")) {
            why = "host " + host + " is not an address of this machine";
        } else if ((e instanceof BindException || io && text.contains("bind(")) && text.contains("permission denied")) {
            why = "port " + port + " needs privileges (ports below 1024)";
        } else if (e instanceof BindException) {
            why = e.getMessage();
        } else if (e instanceof UnknownHostException || text.contains("failed to resolve") || text.contains("unknown host")) {
            why = "host " + host + " cannot be resolved";
        } else {
            return failure;
        }
        return new ListenFailure("cannot listen on " + host + ":" + port + " (" + what + "): " + why, e);
    }
}
