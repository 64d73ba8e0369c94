package io.sorthub.gateway;

import io.sorthub.gateway.capture.CaptureCommand;
import io.sorthub.gateway.sim.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar scanner-gateway.jar run|capture|simulate}: the gateway beside a sorter line,
 * a device's bytes recorded and explained, and the simulated scanners that drive a hub or a gateway.
 */
@Command(name = "scanner-gateway", mixinStandardHelpOptions = true, version = "SortHub scanner-gateway 0.1",
    description = "The edge of a sorter line. Subcommands: run (the gateway), capture (what a device sends, and which"
        + " profile parses it), simulate (scanners and load).",
    subcommands = {RunCommand.class, CaptureCommand.class, SimulateCommand.class})
public final class GatewayMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run, capture or simulate");
    }
}
