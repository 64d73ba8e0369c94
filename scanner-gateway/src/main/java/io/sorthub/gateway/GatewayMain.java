package io.sorthub.gateway;

import io.sorthub.gateway.capture.CaptureCommand;
import io.sorthub.gateway.sim.SimulateCommand;
import io.sorthub.kit.cli.CommandLines;
import io.sorthub.kit.cli.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar scanner-gateway.jar run|capture|simulate}: the gateway beside a sorter line,
 * a device's bytes recorded and explained, and the simulated scanners that drive a hub or a gateway.
 */
@Command(name = "scanner-gateway", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    description = "The edge of a sorter line. Subcommands: run (the gateway), capture (what a device sends, and which"
        + " profile parses it), simulate (scanners and load).",
    subcommands = {RunCommand.class, CaptureCommand.class, SimulateCommand.class},
    footerHeading = "%n",
    footer = "Exit codes: 0 done or stopped; 1 simulated reads not all answered; 2 bad flags, settings, files or a port "
        + "that cannot be opened; 70 an internal error (docs/SCANNERS.md).")
public final class GatewayMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = CommandLines.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
        description = "on an error, print its stack trace too")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The gateway's command line with its subcommands, one-line errors and exit codes. */
    public static CommandLine commandLine() {
        return CommandLines.create(new GatewayMain(), GatewayConfig.ConfigException.class);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run, capture or simulate");
    }
}
