package io.sorthub.test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Every log line of this JVM while open (message, logger and any stack trace): what tests search for secrets. */
public final class CapturedLog implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public CapturedLog() {
        appender.start();
        root.addAppender(appender);
    }

    /** Each line as {@code LEVEL logger: message} plus its stack trace, if any. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
        }
    }

    /** The lines of loggers whose name starts with {@code logger}. */
    public List<String> of(String logger) {
        return lines().stream().filter(l -> l.substring(l.indexOf(' ') + 1).startsWith(logger)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
