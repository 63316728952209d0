package io.netstack.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The stack file and its variables. */
public class StackArgs {
    @Parameters(index = "0", paramLabel = "STACK", description = "Stack file (JSON).")
    Path file;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a stack variable (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();
}
