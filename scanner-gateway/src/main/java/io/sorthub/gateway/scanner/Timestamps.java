package io.sorthub.gateway.scanner;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A device's timestamp field: epoch milliseconds ({@code 1763800000000}) or ISO-8601, what
 * CSV exports and DWS systems write ({@code 2025-11-22T08:26:40Z},
 * {@code 2025-11-22 16:26:40.125+08:00}); a time without an offset is read in the profile's
 * time zone.
 */
final class Timestamps {
    private Timestamps() {
    }

    /**
     * @return epoch milliseconds; 0 for an empty field (the gateway's clock is used)
     * @throws DateTimeException when the value is neither form (DateTimeParseException is one)
     */
    static long parse(String value, ZoneId zone) {
        if (value.isEmpty()) {
            return 0;
        }
        if (allDigits(value)) {
            if (value.length() > 15) {
                throw new DateTimeException("too large");
            }
            return Long.parseLong(value);
        }
        final String iso = value.length() > 10 && value.charAt(10) == ' '
            ? value.substring(0, 10) + 'T' + value.substring(11) : value;
        // Which form, decided by looking (an exception per read would be the normal path for local times).
        final boolean offset = iso.endsWith("Z") || iso.endsWith("z") || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
        return offset ? OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli()
            : LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant().toEpochMilli();
    }

    private static boolean allDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
