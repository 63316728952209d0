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

    @Option(names = "--var-file", paramLabel = "FILE.json", description = "Set stack variables from a JSON object of name → value (repeatable; --var wins; applies to every file that declares them).")
    List<Path> varFiles = new ArrayList<>();

    /** The variables files in order, then --var on top. */
    Map<String, String> values() {
        Map<String, String> all = new LinkedHashMap<>();
        for (Path f : varFiles) all.putAll(io.netstack.stack.VarFile.read(f));
        all.putAll(vars);
        return all;
    }
}
