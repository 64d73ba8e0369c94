package io.sorthub.hub.cli;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of a CSV file meant for a spreadsheet: quoted by Jackson's CSV writer (RFC 4180: a
 * cell with a comma, a quote, a CR or an LF is quoted, quotes doubled), and defused as OWASP
 * advises against formula injection: a text cell that starts with {@code = + - @}, a tab or
 * a CR gets a leading apostrophe, so that a barcode like {@code =HYPERLINK(…)} is shown as
 * text, not run. Numbers are written as numbers and never changed.
 */
final class CsvRows {
    private final List<String> columns;
    private final ObjectWriter writer;

    CsvRows(List<String> columns) {
        this.columns = List.copyOf(columns);
        final CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        this.writer = new CsvMapper().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .writer(schema.build().withLineSeparator("\n").withoutHeader());
    }

    /** The header line. */
    String header() {
        return String.join(",", columns) + "\n";
    }

    /** One line of cells in column order; null is an empty cell. */
    String row(List<?> cells) {
        final List<Object> safe = new ArrayList<>(cells.size());
        for (Object cell : cells) {
            safe.add(defused(cell));
        }
        try {
            return writer.writeValueAsString(safe);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a row of text and numbers did not write as CSV", e);
        }
    }

    /** OWASP's rule for CSV injection: a text cell a spreadsheet would take for a formula is made plain text. */
    static Object defused(Object cell) {
        if (!(cell instanceof CharSequence text) || text.isEmpty()) {
            return cell;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> cell;
        };
    }
}
