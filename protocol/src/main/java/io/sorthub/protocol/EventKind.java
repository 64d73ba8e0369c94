package io.sorthub.protocol;

/**
 * What a SCAN event reports, following a parcel's flow through the hub. The code is the
 * byte on the wire and in the journal: never renumber.
 */
public enum EventKind {
    /** 到件: parcel unloaded and scanned in at the hub. */
    ARRIVAL(1),
    /** Induction onto the sorter: the sorter asks where this parcel goes. */
    SORT_REQUEST(2),
    /** Sorter confirms the parcel was diverted into {@code outlet}. */
    CONFIRM_DIVERTED(3),
    /** Sorter reports the parcel went round again (it will be sort-requested again). */
    CONFIRM_RECIRCULATED(4),
    /** Sorter could not read the parcel on the sort confirmation. */
    CONFIRM_NO_READ(5),
    /** Sorter lost track of the parcel. */
    CONFIRM_LOST(6),
    /** Chute {@code outlet} is full. */
    CHUTE_FULL(7),
    /** Chute {@code outlet} was emptied and is accepting parcels again. */
    CHUTE_CLEARED(8),
    /** Chute {@code outlet} was taken out of service. */
    CHUTE_DISABLED(9),
    /** Parcel loaded onto an outbound vehicle. */
    LOADING(10),
    /** 发件: parcel dispatched from the hub. */
    DEPARTURE(11),
    EXCEPTION_DAMAGED(12),
    EXCEPTION_PROHIBITED(13),
    EXCEPTION_OVERWEIGHT(14),
    /** Induction scan with no barcode read: the sorter still needs an outlet (reject). */
    NO_READ(15),
    /** Version 2: an operator re-keyed a parcel the tunnel could not read (补码): parcel id and barcode. */
    REKEY(16),
    /** Version 2: a bag (container) was tagged at chute {@code outlet}: the barcode is the bag's id; it opens. */
    BAG_TAG(17),
    /** Version 2: the bag at chute {@code outlet} was sealed (barcode: the bag's id, or empty for the open one). */
    BAG_SEALED(18);

    public static final int MAX_CODE = 18;
    /** The highest kind a version 1 SCAN may carry. */
    public static final int MAX_CODE_V1 = 15;
    private static final EventKind[] BY_CODE = new EventKind[MAX_CODE + 1];

    static {
        for (EventKind kind : values()) {
            BY_CODE[kind.code] = kind;
        }
    }

    private final int code;

    EventKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the kind, or null for a code this version does not know. */
    public static EventKind fromCode(int code) {
        return code > 0 && code <= MAX_CODE ? BY_CODE[code] : null;
    }

    /** Events that ask for a sort outlet; every other kind is recorded only. */
    public boolean needsDecision() {
        return this == SORT_REQUEST || this == NO_READ;
    }
}
