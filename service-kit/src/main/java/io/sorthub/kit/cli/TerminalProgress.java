package io.sorthub.kit.cli;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line for a long command on a terminal, redrawn in place on standard error at
 * most twice a second: how many records, how fast, and how far when the total is known.
 * Nothing is printed when the output is not a terminal (a pipe, a file, a log collector).
 * One thread.
 */
public final class TerminalProgress implements AutoCloseable {
    private static final long INTERVAL_NS = 500_000_000L;
    private static final int BAR = 30;

    private final PrintStream out;
    private final String what;
    private final NanoClock nanoClock;
    private final long startNs;
    private long lastNs;
    private boolean shown;

    TerminalProgress(PrintStream out, String what, NanoClock nanoClock) {
        this.out = out;
        this.what = what;
        this.nanoClock = nanoClock;
        this.startNs = nanoClock.nanoTime();
        this.lastNs = startNs;
    }

    /** Progress on standard error when this process runs on a terminal; otherwise one that shows nothing. */
    public static TerminalProgress onTerminal(String what) {
        return new TerminalProgress(System.console() == null ? null : System.err, what, SystemNanoClock.INSTANCE);
    }

    /** {@code done} records of {@code total} (0 or less: not known); cheap to call per record. */
    public void update(long done, long total) {
        if (out == null) {
            return;
        }
        final long now = nanoClock.nanoTime();
        if (now - lastNs < INTERVAL_NS) {
            return;
        }
        lastNs = now;
        final double seconds = Math.max(1e-9, (now - startNs) / 1e9);
        final StringBuilder line = new StringBuilder("\r").append(what).append(' ');
        if (total > 0) {
            final double part = Math.min(1.0, (double) done / total);
            final int filled = (int) (part * BAR);
            line.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%3.0f%% %,d of %,d", part * 100, done, total));
        } else {
            line.append(String.format(Locale.ROOT, "%,d", done));
        }
        line.append(String.format(Locale.ROOT, " records, %,.0f/s ", done / seconds));
        out.print(line);
        out.flush();
        shown = true;
    }

    /** Clear the line, so that what the command prints next starts clean. */
    @Override
    public void close() {
        if (out != null && shown) {
            out.print("\r" + " ".repeat(what.length() + BAR + 70) + "\r");
            out.flush();
        }
    }
}
