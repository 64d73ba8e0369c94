package io.sorthub.gateway.scanner;

/** Why a scanner line was refused; counted per device and logged once per kind. */
public enum LineError {
    /** Longer than the profile's maximum line length. */
    OVERSIZE,
    /** Bytes outside an STX…ETX frame, or control bytes inside a line. */
    GARBAGE,
    /** Fewer fields than the profile names, or an empty barcode field. */
    MALFORMED,
    /** A number field (weight, dimension, timestamp) that is not a number. */
    BAD_NUMBER,
    /** A status value the profile does not count as a good read. */
    UNKNOWN_STATUS
}
