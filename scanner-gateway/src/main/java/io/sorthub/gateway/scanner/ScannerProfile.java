package io.sorthub.gateway.scanner;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How one family of scanners talks: framing, field separator and order, the text it sends
 * for a no-read, how several codes in one read are separated, its heartbeat text, and which
 * status values mean a good read. Built-in profiles are in {@link #BUILT_IN}; a device can
 * also describe its own.
 */
public record ScannerProfile(String name, Framing framing, String separator, List<Field> fields, String noRead,
                             String codeSeparator, String heartbeat, Set<String> okStatuses, int maxLineLength) {

    public static final int DEFAULT_MAX_LINE = 512;

    /** SICK CLV/Lector style: {@code <STX>parcelId;code<ETX>}, "NoRead" when nothing was read. */
    public static final ScannerProfile SICK_CLV = new ScannerProfile("sick-clv", Framing.STX_ETX, ";",
        List.of(Field.PARCEL_ID, Field.BARCODE), "NoRead", ",", "HB", Set.of(), DEFAULT_MAX_LINE);
    /** Cognex DataMan style line push: {@code code<CR><LF>}, "NOREAD" on a failed read. */
    public static final ScannerProfile COGNEX_DATAMAN = new ScannerProfile("cognex-dataman", Framing.CRLF, ",",
        List.of(Field.BARCODE), "NOREAD", "/", "HEARTBEAT", Set.of(), DEFAULT_MAX_LINE);
    /**
     * Datalogic style header/separator/terminator with dimensions and weight:
     * {@code <STX>parcelId|status|code|weight|length|width|height<ETX>}; status 0 is a good read.
     */
    public static final ScannerProfile DATALOGIC = new ScannerProfile("datalogic", Framing.STX_ETX, "|",
        List.of(Field.PARCEL_ID, Field.STATUS, Field.BARCODE, Field.WEIGHT, Field.LENGTH, Field.WIDTH, Field.HEIGHT),
        "?", "#", "KEEPALIVE", Set.of("0"), DEFAULT_MAX_LINE);
    /** Generic CSV from a dimensioning/OCR station: parcel id, code, destination, weight, L, W, H, epoch ms. */
    public static final ScannerProfile GENERIC_CSV = new ScannerProfile("generic-csv", Framing.LF, ",",
        List.of(Field.PARCEL_ID, Field.BARCODE, Field.DESTINATION, Field.WEIGHT, Field.LENGTH, Field.WIDTH, Field.HEIGHT,
            Field.TIMESTAMP), "NOREAD", ";", "HB", Set.of(), DEFAULT_MAX_LINE);

    public static final Map<String, ScannerProfile> BUILT_IN = Map.of(SICK_CLV.name, SICK_CLV,
        COGNEX_DATAMAN.name, COGNEX_DATAMAN, DATALOGIC.name, DATALOGIC, GENERIC_CSV.name, GENERIC_CSV);

    /** @throws IllegalArgumentException naming the profile and what is wrong with it */
    public ScannerProfile {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("profile " + name + ": separator must not be empty");
        }
        if (fields == null || !fields.contains(Field.BARCODE)) {
            throw new IllegalArgumentException("profile " + name + ": fields must include barcode");
        }
        if (maxLineLength < 16 || maxLineLength > 65_536) {
            throw new IllegalArgumentException("profile " + name + ": maxLineLength must be 16..65536");
        }
        fields = List.copyOf(fields);
        okStatuses = okStatuses == null ? Set.of() : Set.copyOf(okStatuses);
    }

    public static Field field(String name, String profile) {
        try {
            return Field.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile " + profile + ": unknown field '" + name
                + "'; fields are barcode, weight, length, width, height, parcel_id, timestamp, status, destination, ignore");
        }
    }
}
