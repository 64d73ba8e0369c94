package io.sorthub.hub.whatif;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Hub times as a report shows them: in the plan's time zone. */
final class ReportTimes {
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ReportTimes() {
    }

    /** ISO-8601 with the zone's offset, for tools. */
    static String iso(long ms, ZoneId zone) {
        return Instant.ofEpochMilli(ms).atZone(zone).toOffsetDateTime().toString();
    }

    static String full(long ms, ZoneId zone) {
        return FULL.format(Instant.ofEpochMilli(ms).atZone(zone));
    }

    static String hour(long ms, ZoneId zone) {
        return SHORT.format(Instant.ofEpochMilli(ms).atZone(zone));
    }
}
