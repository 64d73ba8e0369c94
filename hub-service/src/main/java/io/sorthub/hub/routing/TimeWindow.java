package io.sorthub.hub.routing;

/**
 * Hub time of day, minutes since midnight: from inclusive, to exclusive; a window whose
 * {@code to} is not after its {@code from} crosses midnight.
 */
public record TimeWindow(int fromMinute, int toMinute) {
    public static final int MINUTES_PER_DAY = 1440;
    /** No condition: all day. */
    public static final TimeWindow ANY = new TimeWindow(-1, -1);

    public boolean isAny() {
        return fromMinute < 0;
    }

    public boolean contains(int minute) {
        if (fromMinute < 0) {
            return true;
        }
        return fromMinute <= toMinute ? minute >= fromMinute && minute < toMinute
            : minute >= fromMinute || minute < toMinute; // across midnight
    }

    /** Every minute of this window lies in {@code other}. */
    public boolean within(TimeWindow other) {
        if (other.isAny()) {
            return true;
        }
        if (isAny()) {
            return false;
        }
        // Unroll both onto [0, 2880): a window across midnight is one interval past 1440.
        final int from = fromMinute;
        final int to = toMinute <= fromMinute ? toMinute + MINUTES_PER_DAY : toMinute;
        final int otherFrom = other.fromMinute;
        final int otherTo = other.toMinute <= other.fromMinute ? other.toMinute + MINUTES_PER_DAY : other.toMinute;
        return inside(from, to, otherFrom, otherTo) || inside(from, to, otherFrom + MINUTES_PER_DAY, otherTo + MINUTES_PER_DAY)
            || inside(from + MINUTES_PER_DAY, to + MINUTES_PER_DAY, otherFrom, otherTo);
    }

    private static boolean inside(int from, int to, int otherFrom, int otherTo) {
        return from >= otherFrom && to <= otherTo;
    }
}
