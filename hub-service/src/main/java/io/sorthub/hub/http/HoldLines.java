package io.sorthub.hub.http;

import io.sorthub.hub.control.OpsControl;
import io.sorthub.hub.ops.OpsChange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of a bulk hold load ({@code POST /api/holds}): one barcode per line, optionally a
 * TAB or a comma and the reason; blank lines and lines starting with {@code #} are skipped.
 * Every line is checked before anything is loaded; the first {@link #MAX_ERRORS_LISTED}
 * problems are listed with their line numbers. Run off the event loops: a body may hold
 * millions of lines.
 */
final class HoldLines {
    static final int MAX_ERRORS_LISTED = 20;

    /** The holds read, or how many lines were bad and the first of them. */
    record Result(List<OpsControl.Hold> holds, int errorCount, JsonArray errors) {
    }

    private HoldLines() {
    }

    static Result parse(String text) {
        final List<OpsControl.Hold> holds = new ArrayList<>();
        final JsonArray errors = new JsonArray();
        int errorCount = 0;
        int lineNumber = 0;
        for (String line : (text == null ? "" : text).split("\r?\n", -1)) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final int cut = indexOfSeparator(line);
            final String barcode = (cut < 0 ? line : line.substring(0, cut)).strip();
            final String reason = cut < 0 ? "" : line.substring(cut + 1).strip();
            String problem = OpsChange.barcodeError(barcode);
            if (problem == null) {
                problem = OpsChange.checkReason(reason);
            }
            if (problem != null) {
                if (++errorCount <= MAX_ERRORS_LISTED) {
                    errors.add(new JsonObject().put("line", lineNumber).put("message", problem));
                }
                continue;
            }
            holds.add(new OpsControl.Hold(barcode, reason));
        }
        return new Result(holds, errorCount, errors);
    }

    private static int indexOfSeparator(String line) {
        final int tab = line.indexOf('\t');
        return tab >= 0 ? tab : line.indexOf(',');
    }
}
