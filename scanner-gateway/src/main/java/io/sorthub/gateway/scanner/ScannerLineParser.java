package io.sorthub.gateway.scanner;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns one scanner line into a {@link ScannerRead} by the device's profile, or says why not. */
public final class ScannerLineParser {
    private final ScannerProfile profile;
    private final Pattern separator;
    private final Pattern codeSeparator;

    public ScannerLineParser(ScannerProfile profile) {
        this.profile = profile;
        this.separator = Pattern.compile(Pattern.quote(profile.separator()));
        this.codeSeparator = profile.codeSeparator() == null || profile.codeSeparator().isEmpty()
            ? null : Pattern.compile(Pattern.quote(profile.codeSeparator()));
    }

    /** @return a ScannerRead, or a LineRejected naming what was wrong */
    public Object parse(String line) {
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return new LineRejected(LineError.GARBAGE, "byte 0x" + Integer.toHexString(c) + " at column " + (i + 1));
            }
        }
        if (profile.heartbeat() != null && line.equals(profile.heartbeat())) {
            return ScannerRead.HEARTBEAT_READ;
        }
        final String[] parts = separator.split(line, -1);
        final List<Field> fields = profile.fields();
        if (parts.length < fields.size()) {
            return new LineRejected(LineError.MALFORMED, "expected " + fields.size() + " fields " + fields + ", got "
                + parts.length + ": '" + line + "'");
        }
        String parcelId = "";
        String barcode = "";
        String destination = "";
        String status = null;
        int weight = 0;
        int length = 0;
        int width = 0;
        int height = 0;
        long time = 0;
        for (int i = 0; i < fields.size(); i++) {
            final String value = parts[i].trim();
            try {
                switch (fields.get(i)) {
                    case BARCODE -> barcode = value;
                    case PARCEL_ID -> parcelId = value;
                    case DESTINATION -> destination = value;
                    case STATUS -> status = value;
                    case WEIGHT -> weight = number(value, Integer.MAX_VALUE);
                    case LENGTH -> length = number(value, 65_535);
                    case WIDTH -> width = number(value, 65_535);
                    case HEIGHT -> height = number(value, 65_535);
                    case TIMESTAMP -> time = value.isEmpty() ? 0 : Long.parseLong(value);
                    case IGNORE -> { }
                }
            } catch (NumberFormatException e) {
                return new LineRejected(LineError.BAD_NUMBER, fields.get(i).name().toLowerCase() + " '" + value
                    + "' is not a number in '" + line + "'");
            }
        }
        if (status != null && !profile.okStatuses().isEmpty() && !profile.okStatuses().contains(status)
            && !barcode.equals(profile.noRead())) {
            return new LineRejected(LineError.UNKNOWN_STATUS, "status '" + status + "' is not one of "
                + profile.okStatuses() + " in '" + line + "'");
        }
        ScannerRead.Type type = ScannerRead.Type.READ;
        if (barcode.isEmpty() || barcode.equals(profile.noRead())) {
            type = ScannerRead.Type.NO_READ;
            barcode = "";
        } else if (codeSeparator != null && barcode.contains(profile.codeSeparator())) {
            final Set<String> codes = new LinkedHashSet<>(List.of(codeSeparator.split(barcode)));
            codes.remove("");
            // Several different codes: a multi-read (the first is kept for the trace); only
            // separators: nothing was read.
            type = codes.size() > 1 ? ScannerRead.Type.MULTI_READ : codes.isEmpty() ? ScannerRead.Type.NO_READ : type;
            barcode = codes.isEmpty() ? "" : codes.iterator().next();
        }
        // Checked for every kind of read: a value the hub's frame cannot carry would be spooled
        // and refused by the hub again and again, holding up the line behind it.
        if (barcode.length() > 64 || parcelId.length() > 32 || destination.length() > 32) {
            return new LineRejected(LineError.MALFORMED, "barcode over 64, parcel id or destination over 32 characters in '"
                + line + "'");
        }
        return new ScannerRead(type, parcelId, barcode, destination, weight, length, width, height, time);
    }

    private static int number(String value, int max) {
        if (value.isEmpty()) {
            return 0;
        }
        final long n = Long.parseLong(value);
        if (n < 0 || n > max) {
            throw new NumberFormatException(value);
        }
        return (int) n;
    }
}
