package io.sorthub.hub.routing.compile;

/**
 * One thing wrong with a plan: the line it is on (1-based; the plan's first line when the
 * problem is something missing), the field path ("rules[3] (rule 40): weightGrams.max"), and
 * what is wrong. Printed as {@code line 12: rules[3] (rule 40): weightGrams.max: ...}.
 */
public record PlanError(int line, String where, String message) {
    @Override
    public String toString() {
        return "line " + line + ": " + (where.isEmpty() ? "" : where + ": ") + message;
    }
}
