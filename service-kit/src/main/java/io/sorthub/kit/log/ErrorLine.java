package io.sorthub.kit.log;

/**
 * An unexpected error in one log line: what it was and where the product's own code was when it
 * was thrown (the first frame of {@code io.sorthub}: the JDK's or a library's frame at the top
 * rarely says which call of ours went wrong). The whole trace belongs at debug.
 */
public final class ErrorLine {
    private static final String OURS = "io.sorthub.";

    private ErrorLine() {
    }

    /** {@code "java.lang.IllegalStateException: spool closed at io.sorthub.….onAck(File.java:65)"}; never a line break. */
    public static String of(Throwable error) {
        final StackTraceElement[] trace = error.getStackTrace();
        StackTraceElement where = trace.length == 0 ? null : trace[0];
        for (StackTraceElement frame : trace) {
            if (frame.getClassName().startsWith(OURS)) {
                where = frame;
                break;
            }
        }
        final String what = error.toString().replace('\r', ' ').replace('\n', ' ');
        return where == null ? what : what + " at " + where;
    }
}
