package io.sorthub.test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * What every text-file fuzz test (sort plans, hub and gateway configs, devices and token
 * files) asks of its parser: for any input it returns, or throws its own checked exception
 * with a message that says what and where; nothing else escapes, and the memory it takes
 * stays within a bound proportional to the input (a YAML alias bomb, say, would not).
 * Hangs are caught by Jazzer's per-input timeout (the test's JUnit {@code @Timeout}).
 */
public final class FuzzChecks {
    /** Fixed allowance for the YAML machinery plus a generous amount per input byte. */
    public static final long BASE_ALLOWANCE = 64L << 20;
    public static final long PER_INPUT_BYTE = 64L << 10;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A parser of a whole text file, named as it would be in an error message. */
    @FunctionalInterface
    public interface TextParser {
        Object parse(String text, String name) throws Exception;
    }

    private FuzzChecks() {
    }

    public static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }

    /**
     * @param name the file name its errors must mention, or null for a parser not told one
     * @param expected the parser's own exception type for bad input
     * @return the parsed value, or null when the input was refused as it should be
     */
    public static Object parsesOrExplains(byte[] input, String name, Class<? extends Exception> expected,
                                          TextParser parser) {
        final String text = text(input);
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        Object result = null;
        try {
            result = parser.parse(text, name);
        } catch (Exception e) {
            if (!expected.isInstance(e)) {
                throw new AssertionError("parser threw " + e + " instead of " + expected.getSimpleName(), e);
            }
            final String message = e.getMessage();
            if (message == null || message.isBlank() || (name != null && !message.contains(name))) {
                throw new AssertionError("an error must say what and where (and name the file): " + message, e);
            }
        }
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        final long bound = BASE_ALLOWANCE + PER_INPUT_BYTE * input.length;
        if (allocated > bound) {
            throw new AssertionError("parsing " + input.length + " bytes allocated " + allocated
                + " bytes, over the bound of " + bound);
        }
        return result;
    }

    /** A secret no error message may quote, whatever text surrounds it. */
    public static final String SECRET_MARK = "S3CRET-MARK";

    /**
     * The input placed inside a secret's double-quoted value of {@code template} (which has one
     * {@code %s}), then parsed: an error may name the line and key, never quote the secret. The
     * input's own quotes are left out: one would end the secret and make the rest a name or a
     * key, which errors do name.
     */
    public static void neverQuotesTheSecret(byte[] input, String template, String name, TextParser parser) {
        final String text = template.formatted(SECRET_MARK + text(input).replace("\"", ""));
        try {
            parser.parse(text, name);
        } catch (Exception e) {
            if (e.getMessage() != null && e.getMessage().contains(SECRET_MARK)) {
                throw new AssertionError("an error quoted the secret: " + e.getMessage(), e);
            }
        }
    }
}
