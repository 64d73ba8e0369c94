package io.sorthub.test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * This JVM's standard output and error sent elsewhere while a command runs in it, as an operator
 * would see them (UTF-8, flushed line by line); restored afterwards, also when the command throws.
 */
public final class StandardStreams {
    private StandardStreams() {
    }

    /**
     * @param out where standard output goes meanwhile
     * @param err where standard error goes meanwhile, or null to leave it alone
     * @return what {@code command} returned (typically its exit code)
     */
    public static <T> T capture(OutputStream out, OutputStream err, Supplier<T> command) {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (err != null) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        try {
            return command.get();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * A command's own error: the last line it printed on standard error (a service that got as far
     * as starting logs before it), which must come without a stack trace (none without --verbose).
     */
    public static String errorLine(ByteArrayOutputStream err) {
        final String text = err.toString(StandardCharsets.UTF_8);
        if (text.contains("\tat ") || text.contains("Exception:")) {
            throw new AssertionError("a stack trace without --verbose:\n" + text);
        }
        final String[] lines = text.split("\\R");
        return lines[lines.length - 1];
    }
}
