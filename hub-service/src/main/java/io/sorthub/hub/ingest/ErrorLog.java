package io.sorthub.hub.ingest;

import io.sorthub.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Logs the first protocol error of each kind with its detail; later ones are only
 * counted (sorthub_protocol_errors_total). A client spraying garbage must not fill the disk
 * with log lines or slow the event loop.
 */
final class ErrorLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.sorthub.hub.ingest.ProtocolErrors");
    private final AtomicIntegerArray logged = new AtomicIntegerArray(ErrorCode.MAX_CODE + 1);

    void error(ErrorCode code, Object remote, String message) {
        if (logged.compareAndSet(code.code(), 0, 1)) {
            LOG.warn("{} from {}: {} (further {} errors are counted in sorthub_protocol_errors_total, not logged)",
                code, remote, message, code);
        }
    }
}
