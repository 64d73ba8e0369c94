package io.sorthub.gateway.scanner;

/** Why device bytes were not a read; counted per device (a metric label) and logged once per kind. */
public enum LineError {
    /** Bytes outside any telegram: before a header, or between telegrams. */
    GARBAGE,
    /** A telegram cut off: a new header came before its terminator, or the device closed the connection. */
    UNTERMINATED,
    /** A telegram longer than the profile's maximum; dropped up to its terminator or the next header. */
    OVERSIZE,
    /** A control byte (below 0x20, or 0x7F) inside a telegram. */
    CONTROL_BYTE,
    /** Too few or too many fields, or a value longer than the hub's frame can carry. */
    MALFORMED,
    /** A weight or dimension that is not a whole number in range. */
    BAD_NUMBER,
    /** A timestamp that is neither epoch milliseconds nor ISO-8601. */
    BAD_TIMESTAMP,
    /** A status value the profile does not count as a good read. */
    UNKNOWN_STATUS
}
