package io.sorthub.kit.cli;

/**
 * The exit codes of every SortHub command (docs/OPERATIONS.md, "Exit codes"). A supervisor
 * restarts on 70 and should not on 2: the same settings would fail the same way.
 */
public final class ExitCodes {
    /** Done; or a service stopped by SIGTERM. */
    public static final int OK = 0;
    /** The command ran and the answer is no: a plan refused, events never acknowledged, an upload refused. */
    public static final int REFUSED = 1;
    /** Bad flags, settings, environment or files, or a port that cannot be opened: fix and run again. */
    public static final int USAGE = 2;
    /** The journal cannot be read whole; nothing was written. */
    public static final int UNREADABLE = 3;
    /** The journal writer failed, or an internal error (sysexits' EX_SOFTWARE): restart, replay recovers. */
    public static final int SOFTWARE = 70;

    private ExitCodes() {
    }
}
