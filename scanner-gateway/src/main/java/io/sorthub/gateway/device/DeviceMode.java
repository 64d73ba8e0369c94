package io.sorthub.gateway.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Who opens a device's connection. */
public enum DeviceMode {
    /** The device connects to the gateway's port. */
    LISTEN,
    /** The gateway connects to the device, again with back-off when it goes away. */
    CONNECT;

    @JsonCreator
    public static DeviceMode of(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be listen or connect, not '" + text + "'");
        }
    }

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
