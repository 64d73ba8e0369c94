package io.sorthub.hub.ingest;

import io.sorthub.kit.log.DistinctLog;
import io.sorthub.protocol.ErrorCode;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * Logs each distinct protocol error, by code and remote host: the first at once with its
 * detail, repeats once a minute with their count, first and last time ({@link DistinctLog});
 * all are counted in sorthub_protocol_errors_total. A refused HELLO or a taken-over session
 * from a new address is therefore always named, and a client spraying garbage costs a line a
 * minute, not one a frame.
 */
public final class ErrorLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.sorthub.hub.ingest.ProtocolErrors");
    private final DistinctLog log;

    public ErrorLog(EpochClock clock) {
        this.log = DistinctLog.perMinute(LOG, clock);
    }

    void error(ErrorCode code, Object remote, String message) {
        log.record(code.name(), host(remote), message);
    }

    /** The host of a connection's remote address: its port would make every connection distinct. */
    static String host(Object remote) {
        if (remote instanceof InetSocketAddress address) {
            return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        }
        return String.valueOf(remote);
    }
}
