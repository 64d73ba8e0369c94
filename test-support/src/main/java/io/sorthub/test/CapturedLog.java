package io.sorthub.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log lines captured while open: every line of this JVM (message, logger and any stack trace:
 * what tests search for secrets), or those of a logger of the test's own that it hands to the
 * component under test ({@link #ownLogger()}), or those of one class's logger ({@link #loggerOf}),
 * down to its debug lines if asked ({@link #debugOf}). Safe to read while other threads log.
 */
public final class CapturedLog implements AutoCloseable {
    private static final AtomicLong OWN_LOGGERS = new AtomicLong();

    private final Logger logger;
    private final Level levelBefore;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    /** Every log line of this JVM while open. */
    public CapturedLog() {
        this((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    private CapturedLog(Logger logger) {
        this.logger = logger;
        this.levelBefore = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
    }

    /** A logger no other code writes to, and what is written to it while open. */
    public static CapturedLog ownLogger() {
        return new CapturedLog((Logger) LoggerFactory.getLogger("test.captured." + OWN_LOGGERS.incrementAndGet()));
    }

    /** The lines of {@code source}'s logger, at the level configured for it. */
    public static CapturedLog loggerOf(Class<?> source) {
        return new CapturedLog((Logger) LoggerFactory.getLogger(source));
    }

    /** The logger of {@code source}, its debug lines included while open (its level is restored on close). */
    public static CapturedLog debugOf(Class<?> source) {
        final CapturedLog log = new CapturedLog((Logger) LoggerFactory.getLogger(source));
        log.logger.setLevel(Level.DEBUG);
        return log;
    }

    /** The logger captured: hand it to the component under test. */
    public org.slf4j.Logger logger() {
        return logger;
    }

    /**
     * Each line as {@code LEVEL logger: message} plus its stack trace, if any. The appender adds
     * under its own monitor ({@code AppenderBase.doAppend} is synchronized), not the list's: read
     * under the same one, or a line logged by another thread meanwhile breaks the copy.
     */
    public List<String> lines() {
        synchronized (appender) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
        }
    }

    /** Each message as formatted, in order, without level or logger. */
    public List<String> messages() {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The lines of loggers whose name starts with {@code logger}. */
    public List<String> of(String logger) {
        return lines().stream().filter(l -> l.substring(l.indexOf(' ') + 1).startsWith(logger)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
    }
}
