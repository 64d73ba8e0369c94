package io.sorthub.kit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** A logger of a test's own, and the messages written to it while open. */
public final class CapturedLines implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.captured." + System.nanoTime());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    public CapturedLines() {
        lines.start();
        logger.addAppender(lines);
    }

    public org.slf4j.Logger logger() {
        return logger;
    }

    /** Each message as formatted, in order. */
    public List<String> messages() {
        synchronized (lines.list) {
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
    }
}
