package io.sorthub.kit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees when a command fails: one line, a documented exit code, the trace only when asked. */
class CommandLinesTest {
    static final class BadSettings extends Exception {
        BadSettings(String message) {
            super(message);
        }
    }

    @Command(name = "tool", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        subcommands = Tool.Read.class)
    static final class Tool implements Callable<Integer> {
        @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT)
        boolean verbose;

        @Option(names = "--fail")
        String fail = "";

        @Option(names = "--hub")
        HostPort hub;

        @Option(names = "--url", converter = HttpUrl.class)
        java.net.URI url;

        @Override
        public Integer call() throws Exception {
            switch (fail) {
                case "settings" -> throw new BadSettings("hub.yaml line 3: scanPort 70000 is not a TCP port");
                case "failure" -> throw new CommandFailure(ExitCodes.UNREADABLE, "journal data/journal: cycle 3 cannot be read");
                case "bug" -> throw new IllegalStateException("a bug");
                case "wrapped" -> throw new java.util.concurrent.ExecutionException(new IllegalArgumentException("inside"));
                default -> {
                    return 0;
                }
            }
        }

        @Command(name = "read")
        static final class Read implements Callable<Integer> {
            @Option(names = "--file")
            Path file;

            @Override
            public Integer call() throws Exception {
                Files.readString(file);
                return 0;
            }
        }
    }

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        final CommandLine cl = CommandLines.create(new Tool(), BadSettings.class);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void anApplicationsSettingsErrorIsItsMessageAndExitTwo() {
        assertThat(run("--fail", "settings")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("tool: hub.yaml line 3: scanPort 70000 is not a TCP port" + System.lineSeparator());
    }

    @Test
    void aCommandFailureCarriesItsExitCode() {
        assertThat(run("--fail", "failure")).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(err.toString().lines()).containsExactly("tool: journal data/journal: cycle 3 cannot be read");
    }

    @Test
    void aMissingFileNamesTheFileAndSaysWhyOnOneLine() {
        assertThat(run("read", "--file", "/nonexistent/plan.yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).containsExactly("tool read: /nonexistent/plan.yaml: no such file or directory");
    }

    @Test
    void aBugIsOneLineWithAHintAndExit70AndTheTraceComesWithVerbose() {
        assertThat(run("--fail", "bug")).isEqualTo(ExitCodes.SOFTWARE);
        assertThat(err.toString().lines()).containsExactly(
            "tool: internal error: java.lang.IllegalStateException: a bug (run with --verbose for the stack trace)");
        err.getBuffer().setLength(0);
        assertThat(run("--fail", "bug", "--verbose")).isEqualTo(ExitCodes.SOFTWARE);
        assertThat(err.toString().lines().findFirst()).hasValue("tool: internal error: java.lang.IllegalStateException: a bug");
        assertThat(err.toString()).contains("\tat io.sorthub.kit.cli.CommandLinesTest$Tool.call");
    }

    @Test
    void verboseIsInheritedBySubcommands() {
        assertThat(run("read", "--verbose", "--file", "/nonexistent/x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("tool read: /nonexistent/x: no such file or directory")
            .contains("java.nio.file.NoSuchFileException");
    }

    @Test
    void aWrappedFailureIsReportedAsWhatItWraps() {
        assertThat(run("--fail", "wrapped")).isEqualTo(ExitCodes.SOFTWARE);
        assertThat(err.toString()).startsWith("tool: internal error: java.lang.IllegalArgumentException: inside");
    }

    @Test
    void aBadFlagIsOneLineWithASuggestionNotTheWholeHelp() {
        assertThat(run("--verbos")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).containsExactly(
            "tool: Unknown option: '--verbos'; did you mean --verbose or --version? (tool --help lists what it takes)");
    }

    @Test
    void hostPortAndUrlsAreCheckedWhereTheFlagIsRead() {
        assertThat(run("--hub", "127.0.0.1:260000")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).singleElement().asString()
            .contains("'127.0.0.1:260000' is not HOST:PORT with a port of 1..65535");
        err.getBuffer().setLength(0);
        assertThat(run("--url", "127.0.0.1:26001")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).singleElement().asString()
            .contains("'127.0.0.1:26001' is not an http:// or https:// address (e.g. http://127.0.0.1:7480)");
        assertThat(run("--hub", "[::1]:7400", "--url", "https://hub.example:7480")).isZero();
    }

    @Test
    void versionIsTheBuildsVersion() {
        assertThat(run("--version")).isZero();
        assertThat(ProjectVersion.version()).isEqualTo(System.getProperty("sorthub.version")).isNotBlank();
        assertThat(out.toString()).startsWith("SortHub tool " + System.getProperty("sorthub.version") + System.lineSeparator())
            .contains("Java " + Runtime.version());
    }
}
