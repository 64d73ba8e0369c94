package io.sorthub.hub.routing;

import java.util.Locale;

/** What an outlet is for. */
public enum OutletType {
    /** An ordinary destination chute. */
    REGULAR,
    /** Where no-reads, invalid barcodes and over-recirculated parcels go. */
    REJECT,
    /** Where parcels go when their outlet and its alternates are unavailable. */
    OVERFLOW,
    /** Manual handling station. */
    MANUAL;

    /** The type as a plan writes it: regular, reject, overflow, manual-handling. */
    public String label() {
        return this == MANUAL ? "manual-handling" : name().toLowerCase(Locale.ROOT);
    }

    /** @return the type for a plan's spelling ("manual-handling" included), or null. */
    public static OutletType parse(String text) {
        final String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (key.equals("MANUAL_HANDLING")) {
            return MANUAL;
        }
        for (OutletType type : values()) {
            if (type.name().equals(key)) {
                return type;
            }
        }
        return null;
    }
}
