package io.sorthub.protocol;

/** Why a DECISION names the outlet it names. The code is the wire and journal byte. */
public enum DecisionReason {
    /** The event was journaled; it asks for no outlet (arrival, confirmation, loading...). */
    RECORDED(0),
    /** A sort-plan rule matched. */
    RULE(1),
    /** No rule matched; the plan's default outlet. */
    DEFAULT(2),
    /** No barcode read: reject outlet. */
    NO_READ(3),
    /** Several different barcodes read on one parcel: reject outlet. */
    MULTI_READ(4),
    /** Barcode present but not valid (bad characters, bad check digit): reject outlet. */
    INVALID_BARCODE(5),
    /** The matched outlet was full or disabled; an alternate of its group was used. */
    ALTERNATE(6),
    /** The matched outlet and all its alternates were unavailable: overflow outlet. */
    OVERFLOW(7),
    /** Recirculated more often than the plan allows: reject outlet. */
    RECIRCULATION_LIMIT(8),
    /** A resent event already in the journal; acknowledged again, not journaled twice. */
    DUPLICATE(9),
    /** Version 2: the parcel is on the hold list (拦截件): the plan's intercept outlet. */
    INTERCEPTED(10),
    /** Version 2: a supervisor's override for this parcel or destination. */
    OVERRIDE(11);

    public static final int MAX_CODE = 11;
    /** The highest code a version 1 session may be sent. */
    public static final int MAX_CODE_V1 = 9;
    private static final DecisionReason[] BY_CODE = new DecisionReason[MAX_CODE + 1];

    static {
        for (DecisionReason reason : values()) {
            BY_CODE[reason.code] = reason;
        }
    }

    private final int code;

    DecisionReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The reason a session of {@code version} is told: version 1 has no code for an interception or override. */
    public DecisionReason forVersion(int version) {
        return version >= Frame.PROTOCOL_VERSION_2 || code <= MAX_CODE_V1 ? this : RULE;
    }

    public static DecisionReason fromCode(int code) {
        return code >= 0 && code <= MAX_CODE ? BY_CODE[code] : null;
    }
}
