package io.sorthub.hub.http;

import io.sorthub.hub.tracking.ParcelTraces;
import io.sorthub.hub.ops.Confirmations;

import java.util.List;

/**
 * Where a parcel stands after its last sort decision, from its trace: {@code confirmed}
 * (diverted), {@code recirculated}, {@code confirmed_no_read}, {@code lost} (the sorter said
 * so), {@code unconfirmed} (no word from the sorter within the confirmation timeout, once the
 * sorter confirms at all), {@code awaiting_confirmation}, or {@code not_decided} (no sort
 * request yet).
 */
final class ParcelStatus {
    private ParcelStatus() {
    }

    static String of(List<ParcelTraces.Event> events, Confirmations confirmations, long nowMs) {
        int decided = -1;
        for (int i = events.size() - 1; i >= 0; i--) {
            final String kind = events.get(i).kind();
            if (kind.equals("SORT_REQUEST") || kind.equals("NO_READ")) {
                decided = i;
                break;
            }
        }
        if (decided < 0) {
            return "not_decided";
        }
        for (int i = decided + 1; i < events.size(); i++) {
            switch (events.get(i).kind()) {
                case "CONFIRM_DIVERTED": return "confirmed";
                case "CONFIRM_RECIRCULATED": return "recirculated";
                case "CONFIRM_NO_READ": return "confirmed_no_read";
                case "CONFIRM_LOST": return "lost";
                default: break;
            }
        }
        final long decidedAtMs = events.get(decided).receivedAtNs() / 1_000_000L;
        final long timeoutMs = confirmations.timeoutMs();
        return timeoutMs > 0 && confirmations.tracking() && nowMs - decidedAtMs > timeoutMs ? "unconfirmed"
            : "awaiting_confirmation";
    }
}
