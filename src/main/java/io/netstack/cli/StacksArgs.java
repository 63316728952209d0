package io.netstack.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** One or more stack files analysed together (lint, reach), and their variables. */
public class StacksArgs {
    @Parameters(arity = "1..*", paramLabel = "STACK", description = "Stack files (JSON); cross-stack references between them are followed.")
    List<Path> files = new ArrayList<>();

    @Mixin
    VarOptions variables = new VarOptions();
}
