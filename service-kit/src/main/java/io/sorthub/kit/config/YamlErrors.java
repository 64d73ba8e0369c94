package io.sorthub.kit.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What is wrong with a YAML text, without the text: SnakeYAML's own message quotes the
 * offending lines with a caret under them, and in a devices, tokens or config file those lines
 * may hold a secret. This names the line, the column and the problem only.
 */
public final class YamlErrors {
    private YamlErrors() {
    }

    /** {@code "line 3, column 12: found unexpected end of stream"}, never the document's text. */
    public static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y) {
                final Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
                final String problem = y.getProblem() != null ? y.getProblem() : y.getContext();
                return (mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ")
                    + firstLine(problem);
            }
        }
        final JsonLocation location = e.getLocation();
        return (location == null || location.getLineNr() < 1 ? ""
            : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ") + firstLine(e.getOriginalMessage());
    }

    /** The problem alone, for a caller that names the line itself: never the document's text. */
    public static String problem(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y) {
                return firstLine(y.getProblem() != null ? y.getProblem() : y.getContext());
            }
        }
        return e.getOriginalMessage();
    }

    private static String firstLine(String text) {
        return text == null ? "not valid YAML" : text.lines().findFirst().orElse("not valid YAML");
    }
}
