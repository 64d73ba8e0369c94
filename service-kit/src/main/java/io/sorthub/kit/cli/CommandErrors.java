package io.sorthub.kit.cli;

import io.sorthub.kit.net.ListenFailure;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every error of a command as one line, {@code COMMAND: what, where}, and its exit code
 * ({@link ExitCodes}); the stack trace only with {@code --verbose}. Bad flags (picocli's
 * parameter errors) name the flag and point at {@code --help} instead of printing all of it.
 */
final class CommandErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    private final List<Class<? extends Exception>> usageErrors;

    /** @param usageErrors the application's own "bad settings" exceptions: their message is the line, exit 2 */
    CommandErrors(List<Class<? extends Exception>> usageErrors) {
        this.usageErrors = List.copyOf(usageErrors);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        final CommandLine cl = ex.getCommandLine();
        final String name = cl.getCommandSpec().qualifiedName();
        final StringBuilder line = new StringBuilder(name).append(": ").append(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append("; did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append('?');
        }
        line.append(" (").append(name).append(" --help lists what it takes)");
        final PrintWriter err = cl.getErr();
        err.println(line);
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        final Throwable e = unwrap(ex);
        final int code;
        final String message;
        if (e instanceof CommandFailure failure) {
            code = failure.exitCode();
            message = failure.getMessage();
        } else if (e instanceof ListenFailure || usageErrors.stream().anyMatch(type -> type.isInstance(e))) {
            code = ExitCodes.USAGE;
            message = e.getMessage();
        } else if (e instanceof IOException io) {
            code = ExitCodes.USAGE;
            message = FileProblems.describe(io);
        } else {
            code = ExitCodes.SOFTWARE;
            message = "internal error: " + e;
        }
        final boolean verbose = verbose(parsed);
        final PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + message
            + (code == ExitCodes.SOFTWARE && !verbose ? " (run with --verbose for the stack trace)" : ""));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The failure itself, not the future or wrapper it came through. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException || t instanceof UncheckedIOException
            || t instanceof CommandLine.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(CommandLines.VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
