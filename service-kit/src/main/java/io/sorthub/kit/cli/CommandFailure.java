package io.sorthub.kit.cli;

/**
 * A command cannot do what it was asked, for a reason the user can act on: one line naming
 * what and where, and the exit code ({@link ExitCodes}). Never a stack trace.
 */
public final class CommandFailure extends RuntimeException {
    private final int exitCode;

    public CommandFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** Bad flags, settings or files ({@link ExitCodes#USAGE}). */
    public static CommandFailure usage(String message) {
        return new CommandFailure(ExitCodes.USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
