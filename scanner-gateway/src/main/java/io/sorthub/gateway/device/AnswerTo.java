package io.sorthub.gateway.device;

/** Where a device's answers (outlets) go: {@code answer: same | none | <device name>}. */
public enum AnswerTo {
    /** Back on the connection the read came from. */
    SAME,
    /** Nowhere: the device only reports (arrival, loading, a PLC's confirmations). */
    NONE,
    /** To another device, e.g. the sorter's PLC. */
    DEVICE;

    public static AnswerTo of(String answer) {
        return switch (answer) {
            case "same" -> SAME;
            case "none" -> NONE;
            default -> DEVICE;
        };
    }
}
