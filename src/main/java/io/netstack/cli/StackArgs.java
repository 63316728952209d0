package io.netstack.cli;

import io.netstack.stack.VarFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The stack file and its variables. */
public class StackArgs {
    @Parameters(index = "0", paramLabel = "STACK", description = "Stack file (JSON).")
    Path file;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a stack variable (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--var-file", paramLabel = "FILE.json", description = "Set stack variables from a JSON object of name → value (repeatable; --var wins).")
    List<Path> varFiles = new ArrayList<>();

    /** The variables files in order, then --var on top. */
    Map<String, String> values() {
        Map<String, String> all = new LinkedHashMap<>();
        for (Path f : varFiles) all.putAll(VarFile.read(f));
        all.putAll(vars);
        return all;
    }
}
