package io.sorthub.kit.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.sorthub.kit.cli.CommandFailure;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Log lines as text (the default) or as one JSON object per line (Logback's JsonEncoder), for
 * a log collector: {@code --log-format json} or {@code SORTHUB_LOG_FORMAT=json}. The
 * services' logback.xml picks the appender from the system property set here; chosen before
 * the first line is logged, or Logback is configured again.
 */
public final class LogFormat {
    public static final String VARIABLE = "SORTHUB_LOG_FORMAT";
    static final String PROPERTY = "sorthub.log.format";

    private LogFormat() {
    }

    /** @param flag the command line's choice, or null: then the environment's, else text */
    public static void select(String flag, Map<String, String> environment) {
        final String given = flag != null ? flag : environment.get(VARIABLE);
        final String format = given == null || given.isEmpty() ? "text" : given.toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw CommandFailure.usage((flag != null ? "--log-format" : VARIABLE) + " '" + given + "' must be text or json");
        }
        if (format.equals(System.getProperty(PROPERTY, "text")) && System.getProperty(PROPERTY) != null) {
            return;
        }
        System.setProperty(PROPERTY, format);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
            && context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(format) == null) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (ch.qos.logback.core.joran.spi.JoranException e) {
                throw new IllegalStateException("logging cannot be configured again: " + e.getMessage(), e);
            }
        }
    }
}
