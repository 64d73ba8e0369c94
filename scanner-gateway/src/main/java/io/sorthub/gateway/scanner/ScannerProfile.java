package io.sorthub.gateway.scanner;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How one family of scanners talks: its framing (header, terminator), the field separator and
 * field order, the words it sends when it read nothing, the separator between several codes in
 * one read (a multi-read), its heartbeat text, the status values that mean a good read, and the
 * time zone of timestamps written without an offset. The built-in profiles follow each vendor's
 * factory output (docs/SCANNERS.md cites the manual sections); a device can change any element.
 */
public record ScannerProfile(String name, Framing framing, String separator, List<Field> fields, List<String> noRead,
                             boolean noReadCaseSensitive, String codeSeparator, String heartbeat, Set<String> okStatuses,
                             ZoneId timeZone, int maxLineLength) {

    public static final int DEFAULT_MAX_LINE = 512;
    private static final List<String> NO_READ_WORDS = List.of("NOREAD", "NO READ", "NO_READ");

    /**
     * SICK CLV/Lector factory output: {@code <STX>code<CR><LF><ETX>} (the terminator CR LF, then
     * the protocol's stop character); several codes separated by ','.
     */
    public static final ScannerProfile SICK_CLV = new ScannerProfile("sick-clv", Framing.STX_ETX, ";",
        List.of(Field.BARCODE), NO_READ_WORDS, false, ",", null, Set.of(), ZoneOffset.UTC, DEFAULT_MAX_LINE);
    /** Cognex DataMan factory output: {@code code<CR><LF>}; several codes separated by ','. */
    public static final ScannerProfile COGNEX_DATAMAN = new ScannerProfile("cognex-dataman", Framing.CRLF, ";",
        List.of(Field.BARCODE), NO_READ_WORDS, false, ",", null, Set.of(), ZoneOffset.UTC, DEFAULT_MAX_LINE);
    /**
     * Datalogic AV/DX/DS factory output: header STX, terminator CR LF ({@code <STX>code<CR><LF>});
     * several codes separated by the data packet separator ','; a no-read as CAN or '?'.
     */
    public static final ScannerProfile DATALOGIC = new ScannerProfile("datalogic", Framing.STX_CRLF, ";",
        List.of(Field.BARCODE), List.of("\u0018", "NOREAD", "NO READ", "NO_READ"), false, ",", null, Set.of(),
        ZoneOffset.UTC, DEFAULT_MAX_LINE);
    /**
     * Generic CSV from a dimensioning/OCR station or a DWS export: parcel id, code,
     * destination, weight g, length, width, height mm, time (epoch ms or ISO-8601), one per line.
     */
    public static final ScannerProfile GENERIC_CSV = new ScannerProfile("generic-csv", Framing.LF, ",",
        List.of(Field.PARCEL_ID, Field.BARCODE, Field.DESTINATION, Field.WEIGHT, Field.LENGTH, Field.WIDTH, Field.HEIGHT,
            Field.TIMESTAMP), NO_READ_WORDS, false, ";", "HB", Set.of(), ZoneOffset.UTC, DEFAULT_MAX_LINE);

    public static final Map<String, ScannerProfile> BUILT_IN = Map.of(SICK_CLV.name, SICK_CLV,
        COGNEX_DATAMAN.name, COGNEX_DATAMAN, DATALOGIC.name, DATALOGIC, GENERIC_CSV.name, GENERIC_CSV);

    /** @throws IllegalArgumentException naming the profile and what is wrong with it */
    public ScannerProfile {
        final String p = "profile " + name + ": ";
        if (framing == null) {
            throw new IllegalArgumentException(p + "framing is missing");
        }
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException(p + "separator must not be empty");
        }
        if (fields == null || fields.stream().filter(f -> f == Field.BARCODE).count() != 1) {
            throw new IllegalArgumentException(p + "fields must include barcode once");
        }
        if (fields.stream().filter(f -> f != Field.IGNORE).distinct().count()
            != fields.stream().filter(f -> f != Field.IGNORE).count()) {
            throw new IllegalArgumentException(p + "a field other than ignore is named twice: " + fields);
        }
        if (maxLineLength < 16 || maxLineLength > 65_536) {
            throw new IllegalArgumentException(p + "maxLineLength must be 16..65536");
        }
        if (codeSeparator != null && !codeSeparator.isEmpty() && separator.contains(codeSeparator) && fields.size() > 1) {
            throw new IllegalArgumentException(p + "codeSeparator '" + codeSeparator + "' must differ from the separator");
        }
        if (noRead == null || noRead.stream().anyMatch(w -> w == null || w.isEmpty())) {
            throw new IllegalArgumentException(p + "noRead words must not be empty");
        }
        if (heartbeat != null && heartbeat.isEmpty()) {
            heartbeat = null;
        }
        if (codeSeparator != null && codeSeparator.isEmpty()) {
            codeSeparator = null;
        }
        fields = List.copyOf(fields);
        noRead = List.copyOf(noRead);
        okStatuses = okStatuses == null ? Set.of() : Set.copyOf(okStatuses);
        timeZone = timeZone == null ? ZoneOffset.UTC : timeZone;
    }

    /** With a parcel-id field answers carry the id; without one the sorter matches answers by order. */
    public boolean answersById() {
        return fields.contains(Field.PARCEL_ID);
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
