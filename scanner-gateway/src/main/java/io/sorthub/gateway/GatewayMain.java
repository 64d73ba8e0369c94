package io.sorthub.gateway;

import io.sorthub.gateway.sim.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar scanner-gateway.jar run|simulate}: the gateway beside a sorter line, and
 * the simulated scanners that drive a hub or a gateway.
 */
@Command(name = "scanner-gateway", mixinStandardHelpOptions = true, version = "SortHub scanner-gateway 0.1",
    description = "The edge of a sorter line. Subcommands: run (the gateway), simulate (scanners and load).",
    subcommands = {RunCommand.class, SimulateCommand.class})
public final class GatewayMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run or simulate");
    }
}
