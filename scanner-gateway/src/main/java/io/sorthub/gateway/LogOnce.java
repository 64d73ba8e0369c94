package io.sorthub.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Log the first occurrence of each kind of problem; later ones are only counted in metrics. */
final class LogOnce {
    private static final Logger LOG = LoggerFactory.getLogger("io.sorthub.gateway.DeviceErrors");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private LogOnce() {
    }

    static void warn(String key, String format, Object... args) {
        if (SEEN.add(key)) {
            LOG.warn(format, args);
        }
    }
}
