package io.sorthub.gateway;

import io.sorthub.gateway.sim.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar scanner-gateway.jar simulate ...}: simulated scanners that speak the hub
 * protocol to hub-service, measure DECISION and ACK latency, and check every event is
 * acknowledged.
 */
@Command(name = "scanner-gateway", mixinStandardHelpOptions = true, version = "SortHub scanner-gateway 0.1",
    description = "The edge of a sorter line. Subcommands: simulate (hub traffic and load measurement).",
    subcommands = {SimulateCommand.class})
public final class GatewayMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: simulate");
    }
}
