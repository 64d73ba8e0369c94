package io.sorthub.hub.routing.compile;

import java.util.List;

/**
 * A sort plan that cannot be used. It carries every error found in one pass (up to
 * {@link Problems#MAX_ERRORS}), each naming its line and field; the message lists them.
 */
public final class SortPlanException extends Exception {
    private final List<PlanError> errors;
    private final int notShown;

    public SortPlanException(List<PlanError> errors, int notShown) {
        this(null, errors, notShown);
    }

    public SortPlanException(PlanError error) {
        this(null, List.of(error), 0);
    }

    private SortPlanException(String source, List<PlanError> errors, int notShown) {
        super((source == null ? "" : source + ": ") + message(errors, notShown), null, false, false);
        this.errors = List.copyOf(errors);
        this.notShown = notShown;
    }

    /** The same errors, the message starting with where the plan came from (a file, the journal). */
    public SortPlanException in(String source) {
        return new SortPlanException(source, errors, notShown);
    }

    public List<PlanError> errors() {
        return errors;
    }

    /** Errors found beyond the ones kept. */
    public int notShown() {
        return notShown;
    }

    /** Every error as {@code line N: where: what}, plus a last line for the ones not shown. */
    public List<String> lines() {
        final List<String> lines = new java.util.ArrayList<>(errors.stream().map(PlanError::toString).toList());
        if (notShown > 0) {
            lines.add("... and " + notShown + " more errors not shown");
        }
        return lines;
    }

    private static String message(List<PlanError> errors, int notShown) {
        if (errors.size() == 1 && notShown == 0) {
            return errors.get(0).toString();
        }
        final StringBuilder text = new StringBuilder().append(errors.size() + notShown).append(" errors:");
        errors.forEach(e -> text.append('\n').append(e));
        if (notShown > 0) {
            text.append("\n... and ").append(notShown).append(" more errors not shown");
        }
        return text.toString();
    }
}
