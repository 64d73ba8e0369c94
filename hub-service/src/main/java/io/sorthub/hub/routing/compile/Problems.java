package io.sorthub.hub.routing.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * What one compilation found wrong, so that an engineer sees every error in one pass, not
 * one per upload. Bounded: past {@link #MAX_ERRORS} errors are only counted.
 */
final class Problems {
    static final int MAX_ERRORS = 100;

    private final List<PlanError> errors = new ArrayList<>();
    private int notShown;

    void error(int line, String where, String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new PlanError(line, where, message));
        } else {
            notShown++;
        }
    }

    void error(YamlNode node, String where, String message) {
        error(node.line(), where, message);
    }

    boolean any() {
        return !errors.isEmpty();
    }

    int count() {
        return errors.size() + notShown;
    }

    /** Refuses the plan with its errors in line order (the YAML reader finds some before the field readers run). */
    void throwIfAny() throws SortPlanException {
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparingInt(PlanError::line));
            throw new SortPlanException(errors, notShown);
        }
    }
}
