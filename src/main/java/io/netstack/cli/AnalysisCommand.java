package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.stack.StackFile;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * A subcommand over one or more stack files analysed together (lint, reach, diagram): every file
 * loaded and validated before the command's work, all their errors reported at once
 * ({@link Analysis#load}); no AWS call unless the command makes one itself (reach --live).
 */
abstract class AnalysisCommand extends BaseCommand {
    @Mixin
    StacksArgs stacks = new StacksArgs();

    @Override
    public final Integer call() throws Exception {
        try (Netstack ns = netstack()) {
            return run(ns, Analysis.load(this, ns, stacks));
        }
    }

    /** The command's work on the validated stacks; returns the exit code. */
    abstract int run(Netstack ns, List<StackFile> files) throws Exception;
}
