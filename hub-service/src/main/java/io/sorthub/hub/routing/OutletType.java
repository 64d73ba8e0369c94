package io.sorthub.hub.routing;

/** What an outlet is for. */
public enum OutletType {
    /** An ordinary destination chute. */
    REGULAR,
    /** Where no-reads, invalid barcodes and over-recirculated parcels go. */
    REJECT,
    /** Where parcels go when their outlet and its alternates are unavailable. */
    OVERFLOW,
    /** Manual handling station. */
    MANUAL
}
