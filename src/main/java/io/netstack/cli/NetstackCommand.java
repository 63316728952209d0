package io.netstack.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * The root command. Its subcommands are {@link #SUBCOMMANDS}, registered by {@link Main}: only the
 * one being run when the first argument names one (picocli builds each command's model by
 * reflection, a good part of a short command's start-up), all of them otherwise (help, errors).
 */
@Command(name = "netstack", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Infrastructure as code for AWS networks: plan, apply and destroy VPC stacks, with no state file.",
        footer = {"", "Exit codes: 0 success / no changes, 1 error, 2 changes pending (plan --detailed-exitcode), 3 invalid input."})
public class NetstackCommand implements Runnable {
    /** Name → class of every subcommand, in the order help lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(ValidateCommand.class, PlanCommand.class, ApplyCommand.class,
            DestroyCommand.class, ImportCommand.class, AdoptCommand.class, OutputCommand.class, DriftCommand.class, GraphCommand.class, RenderCommand.class, SchemaCommand.class,
            PolicyCommand.class, LintCommand.class, ReachCommand.class, CostCommand.class, DiagramCommand.class, CompletionCommand.class,
            picocli.CommandLine.HelpCommand.class);

    private static Map<String, Class<?>> subcommands(Class<?>... classes) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Class<?> c : classes) m.put(c.getAnnotation(Command.class).name(), c);
        return m;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing command (" + String.join(", ", SUBCOMMANDS.keySet()) + ")");
    }
}
