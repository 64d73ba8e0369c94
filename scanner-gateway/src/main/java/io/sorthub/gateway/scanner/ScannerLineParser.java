package io.sorthub.gateway.scanner;

import io.sorthub.protocol.Ascii;
import io.sorthub.protocol.ScanFlyweight;

import java.time.DateTimeException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one telegram's body into a {@link ScannerRead} by the device's profile, or says why
 * not. The body is read byte for byte (ISO-8859-1), so a barcode with bytes above 0x7E (UTF-8
 * from a 2D code) is forwarded unchanged; the hub routes it to reject as INVALID_BARCODE.
 *
 * <p>Order of checks: the heartbeat; a body that is only a no-read word (a SICK error string or
 * a Datalogic global no-read message carries no other field); control bytes; the field count;
 * each field; the status; then no-read, multi-read or read by the barcode field.
 */
public final class ScannerLineParser {
    private final ScannerProfile profile;
    private final List<Field> fields;
    private final Pattern separator;
    private final Pattern codeSeparator;
    private final List<String> noRead;
    private final int barcodeAt;
    private final int parcelIdAt;

    public ScannerLineParser(ScannerProfile profile) {
        this.profile = profile;
        this.fields = profile.fields();
        this.separator = Pattern.compile(Pattern.quote(profile.separator()));
        this.codeSeparator = profile.codeSeparator() == null ? null : Pattern.compile(Pattern.quote(profile.codeSeparator()));
        this.noRead = profile.noReadCaseSensitive() ? profile.noRead()
            : profile.noRead().stream().map(w -> w.toUpperCase(Locale.ROOT)).toList();
        this.barcodeAt = fields.indexOf(Field.BARCODE);
        this.parcelIdAt = fields.indexOf(Field.PARCEL_ID);
    }

    /** @return a ScannerRead, or a LineRejected naming what was wrong */
    public Object parse(String line) {
        if (line.equals(profile.heartbeat())) {
            return ScannerRead.HEARTBEAT_READ;
        }
        if (isNoRead(trim(line))) {
            return noRead("");
        }
        final String[] parts = fields.size() == 1 ? new String[] {line} : separator.split(line, -1);
        int count = parts.length;
        while (count > fields.size() && trim(parts[count - 1]).isEmpty()) {
            count--; // a separator after the last field
        }
        final String parcelId = parcelIdAt >= 0 && parcelIdAt < count ? trim(parts[parcelIdAt]) : "";
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (Ascii.isControl(c)) {
                return rejected(LineError.CONTROL_BYTE, "control byte " + ControlNames.escape(String.valueOf(c))
                    + " at column " + (i + 1) + " in '" + ControlNames.escape(line) + "'", parcelId);
            }
        }
        if (count != fields.size()) {
            if (count < fields.size() && barcodeAt < count && isNoRead(trim(parts[barcodeAt]))) {
                return noRead(parcelId); // a no-read without the fields only a read has
            }
            return rejected(LineError.MALFORMED, "expected " + fields.size() + " fields " + names() + " separated by '"
                + ControlNames.escape(profile.separator()) + "', got " + count + " in '" + ControlNames.escape(line) + "'"
                + (count > fields.size() ? " (several codes joined by the field separator? set codeSeparator)" : ""),
                parcelId);
        }
        String barcode = "";
        String destination = "";
        String status = null;
        int weight = 0;
        int length = 0;
        int width = 0;
        int height = 0;
        long time = 0;
        for (int i = 0; i < fields.size(); i++) {
            final String value = trim(parts[i]);
            try {
                switch (fields.get(i)) {
                    case BARCODE -> barcode = value;
                    case DESTINATION -> destination = value;
                    case STATUS -> status = value;
                    case WEIGHT -> weight = number(value, Integer.MAX_VALUE);
                    case LENGTH -> length = number(value, 65_535);
                    case WIDTH -> width = number(value, 65_535);
                    case HEIGHT -> height = number(value, 65_535);
                    case TIMESTAMP -> time = Timestamps.parse(value, profile.timeZone());
                    case PARCEL_ID, IGNORE -> { }
                }
            } catch (NumberFormatException e) {
                return rejected(LineError.BAD_NUMBER, name(fields.get(i)) + " '" + ControlNames.escape(value)
                    + "' is not a whole number in range in '" + ControlNames.escape(line) + "'", parcelId);
            } catch (DateTimeException e) {
                return rejected(LineError.BAD_TIMESTAMP, "timestamp '" + ControlNames.escape(value)
                    + "' is neither epoch milliseconds nor ISO-8601 (2025-11-22T08:26:40Z) in '" + ControlNames.escape(line)
                    + "'", parcelId);
            }
        }
        if (status != null && !profile.okStatuses().isEmpty() && !profile.okStatuses().contains(status)
            && !isNoRead(barcode)) {
            return rejected(LineError.UNKNOWN_STATUS, "status '" + ControlNames.escape(status) + "' is not one of "
                + profile.okStatuses() + " in '" + ControlNames.escape(line) + "'", parcelId);
        }
        if (parcelId.length() > 32 || destination.length() > ScanFlyweight.MAX_DESTINATION_LENGTH) {
            return rejected(LineError.MALFORMED, "parcel id or destination over 32 bytes in '"
                + ControlNames.escape(line) + "'", parcelId.length() > 32 ? "" : parcelId);
        }
        ScannerRead.Type type = ScannerRead.Type.READ;
        if (barcode.isEmpty() || isNoRead(barcode)) {
            return noRead(parcelId, destination, weight, length, width, height, time);
        }
        if (codeSeparator != null && barcode.contains(profile.codeSeparator())) {
            final Set<String> codes = new LinkedHashSet<>();
            for (String code : codeSeparator.split(barcode)) {
                final String c = trim(code);
                if (!c.isEmpty() && !isNoRead(c)) {
                    codes.add(c);
                }
            }
            // Several different codes: a multi-read (the first is kept for the trace); nothing
            // but separators and no-read words: nothing was read.
            if (codes.isEmpty()) {
                return noRead(parcelId, destination, weight, length, width, height, time);
            }
            type = codes.size() > 1 ? ScannerRead.Type.MULTI_READ : type;
            barcode = codes.iterator().next();
        }
        // A value the hub's frame cannot carry would be spooled and refused by the hub again and
        // again, holding up the line behind it: refused here, with an answer for the parcel.
        if (barcode.length() > ScanFlyweight.MAX_BARCODE_LENGTH) {
            return rejected(LineError.MALFORMED, "barcode of " + barcode.length() + " bytes, the hub's limit is "
                + ScanFlyweight.MAX_BARCODE_LENGTH + ", in '" + ControlNames.escape(line) + "'", parcelId);
        }
        return new ScannerRead(type, parcelId, barcode, destination, weight, length, width, height, time);
    }

    private boolean isNoRead(String value) {
        if (value.isEmpty()) {
            return false;
        }
        if (onlyQuestionMarks(value)) {
            return true; // what scanners print for a code they saw but could not decode
        }
        return noRead.contains(profile.noReadCaseSensitive() ? value : value.toUpperCase(Locale.ROOT));
    }

    private static boolean onlyQuestionMarks(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != '?') {
                return false;
            }
        }
        return true;
    }

    private static ScannerRead noRead(String parcelId) {
        return noRead(parcelId, "", 0, 0, 0, 0, 0);
    }

    private static ScannerRead noRead(String parcelId, String destination, int weight, int length, int width, int height,
                                      long time) {
        return new ScannerRead(ScannerRead.Type.NO_READ, parcelId, "", destination, weight, length, width, height, time);
    }

    private static LineRejected rejected(LineError error, String detail, String parcelId) {
        return new LineRejected(error, detail, parcelId.length() > 32 ? "" : parcelId, true);
    }

    private String names() {
        return fields.stream().map(ScannerLineParser::name).toList().toString();
    }

    private static String name(Field field) {
        return field.name().toLowerCase(Locale.ROOT);
    }

    /** Spaces only: a control byte at either end is an error to report, not padding to hide. */
    private static String trim(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) == ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
            to--;
        }
        return from == 0 && to == value.length() ? value : value.substring(from, to);
    }

    private static int number(String value, int max) {
        if (value.isEmpty()) {
            return 0;
        }
        if (value.length() > 10) {
            throw new NumberFormatException(value);
        }
        final long n = Long.parseLong(value);
        if (n < 0 || n > max) {
            throw new NumberFormatException(value);
        }
        return (int) n;
    }
}
