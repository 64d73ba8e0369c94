package io.sorthub.kit.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.sorthub.kit.cli.CommandFailure;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.Locale;
import java.util.Map;

/**
 * Log lines as text (logback.xml, the default) or as one JSON object per line for a log
 * collector (io/sorthub/kit/logback-json.xml, Logback's JsonEncoder): {@code --log-format
 * json} or {@code SORTHUB_LOG_FORMAT=json}. Chosen once, at the start of a command.
 */
public final class LogFormat {
    public static final String VARIABLE = "SORTHUB_LOG_FORMAT";
    private static final String JSON = "/io/sorthub/kit/logback-json.xml";
    private static String current = "text";

    private LogFormat() {
    }

    /** @param flag the command line's choice, or null: then the environment's, else text */
    public static synchronized void select(String flag, Map<String, String> environment) {
        final String given = flag != null ? flag : environment.get(VARIABLE);
        final String format = given == null || given.isEmpty() ? "text" : given.toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw CommandFailure.usage((flag != null ? "--log-format" : VARIABLE) + " '" + given + "' must be text or json");
        }
        if (format.equals(current)) {
            return;
        }
        final URL config = LogFormat.class.getResource(format.equals("json") ? JSON : "/logback.xml");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            final JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            try {
                configurator.doConfigure(config);
            } catch (JoranException e) {
                throw new IllegalStateException("logging cannot be configured from " + config + ": " + e.getMessage(), e);
            }
        }
        current = format;
    }
}
