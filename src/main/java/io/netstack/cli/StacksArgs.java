package io.netstack.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One or more stack files analysed together (lint, reach), and their variables. */
public class StacksArgs {
    @Parameters(arity = "1..*", paramLabel = "STACK", description = "Stack files (JSON); cross-stack references between them are followed.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a stack variable (repeatable; applies to every file that declares it).")
    Map<String, String> vars = new LinkedHashMap<>();
}
