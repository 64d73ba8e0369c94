package io.sorthub.hub.routing;

/** A sort plan that cannot be used; the message names what is wrong and where. */
public final class SortPlanException extends Exception {
    public SortPlanException(String message) {
        super(message);
    }

    public SortPlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
