package io.netstack.cli;

import picocli.CommandLine.Command;

@Command(name = "netstack", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Infrastructure as code for AWS networks: plan, apply and destroy VPC stacks, with no state file.",
        subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, DestroyCommand.class, OutputCommand.class, DriftCommand.class, GraphCommand.class, SchemaCommand.class},
        footer = {"", "Exit codes: 0 success / no changes, 1 error, 2 changes pending (plan --detailed-exitcode), 3 invalid input."})
public class NetstackCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing command (validate, plan, apply, destroy, output)");
    }
}
