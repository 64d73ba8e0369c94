package io.sorthub.hub.outlet;

import java.util.Locale;

/** The physical state of a chute, as the sorter or an operator reported it. */
public enum OutletStatus {
    AVAILABLE(0),
    FULL(1),
    DISABLED(2);

    private final int code;

    OutletStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static OutletStatus fromCode(int code) {
        return code == 1 ? FULL : code == 2 ? DISABLED : AVAILABLE;
    }

    public static OutletStatus parse(String text) {
        for (OutletStatus status : values()) {
            if (status.name().equalsIgnoreCase(text.trim())) {
                return status;
            }
        }
        return null;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
