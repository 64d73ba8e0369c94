package io.sorthub.kit.cli;

import picocli.CommandLine;

import java.util.List;

/**
 * A SortHub command line: one-line errors with documented exit codes ({@link ExitCodes}),
 * {@code --verbose} for stack traces, HOST:PORT values converted and checked where they are
 * read. The command declares {@code --verbose} with {@code scope = INHERIT} (see
 * {@link #VERBOSE}) and {@code versionProvider = ProjectVersion.class}.
 */
public final class CommandLines {
    /** The inherited option that asks for stack traces. */
    public static final String VERBOSE = "--verbose";

    private CommandLines() {
    }

    /** @param usageErrors the application's exceptions meaning "bad settings": one line, exit 2 */
    @SafeVarargs
    public static CommandLine create(Object command, Class<? extends Exception>... usageErrors) {
        final CommandLine cl = new CommandLine(command);
        final CommandErrors errors = new CommandErrors(List.of(usageErrors));
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        cl.registerConverter(HostPort.class, new HostPort.Converter());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
