package io.sorthub.gateway.forward;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hubs a gateway may send to: one hub, or the instances of a hub pair (docs/HA.md). The
 * link talks to one at a time; when it is refused or lost it moves on: to the active a
 * standby names in its UNAVAILABLE answer (only if that address is one of the configured
 * hubs: a hint never sends reads anywhere the operator did not list), else to the next hub
 * in the list. Event loop of the gateway.
 */
final class HubAddresses {
    private static final Pattern HINT = Pattern.compile("active=([^\\s)]+:\\d+)");

    /** One hub's address. */
    record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private final List<Address> hubs;
    private int current;
    private String hinted;

    HubAddresses(List<Address> hubs) {
        if (hubs.isEmpty()) {
            throw new IllegalArgumentException("no hub to connect to");
        }
        this.hubs = List.copyOf(hubs);
    }

    Address current() {
        return hubs.get(current);
    }

    int size() {
        return hubs.size();
    }

    /** A hub refused the session; its message may name the active ("active=HOST:PORT"). */
    void refused(String message) {
        final Matcher m = HINT.matcher(message);
        hinted = m.find() ? m.group(1) : null;
    }

    /** Move to the hub to try next: the hinted active when it is configured, else the next in the list. */
    void next() {
        final String hint = hinted;
        hinted = null;
        if (hint != null) {
            for (int i = 0; i < hubs.size(); i++) {
                if (hubs.get(i).toString().equals(hint) && i != current) {
                    current = i;
                    return;
                }
            }
        }
        current = (current + 1) % hubs.size();
    }
}
