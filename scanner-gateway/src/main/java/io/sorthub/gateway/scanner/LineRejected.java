package io.sorthub.gateway.scanner;

/** A line (or run of bytes) the codec refused, passed on so the device can count it. */
public record LineRejected(LineError error, String detail) {
}
