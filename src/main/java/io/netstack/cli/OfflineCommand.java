package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.stack.StackFile;
import picocli.CommandLine.Mixin;

/**
 * A subcommand that works from one stack file alone (validate, graph, render, cost, policy): it
 * loads and validates the file, builds no SDK client and calls no AWS.
 */
abstract class OfflineCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @Override
    final boolean callsAws() {
        return false;
    }

    @Override
    public final Integer call() throws Exception {
        try (Netstack ns = netstack()) {
            return run(ns, loadAndValidate(ns, stack));
        }
    }

    /** The command's work on the validated stack; returns the exit code. */
    abstract int run(Netstack ns, StackFile s) throws Exception;
}
