package io.sorthub.gateway.scanner;

/** A field a scanner may put in its output line, in the order its profile names. */
public enum Field {
    BARCODE, WEIGHT, LENGTH, WIDTH, HEIGHT, PARCEL_ID, TIMESTAMP, STATUS, DESTINATION, IGNORE
}
