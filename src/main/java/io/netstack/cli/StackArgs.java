package io.netstack.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The stack file and its variables. */
public class StackArgs {
    @Parameters(index = "0", paramLabel = "STACK", description = "Stack file (JSON).")
    Path file;

    @Mixin
    VarOptions variables = new VarOptions();

    /** A stack file with these values of its variables (a saved plan's, or those it declares of a run's). */
    static StackArgs of(Path file, Map<String, String> values) {
        StackArgs a = new StackArgs();
        a.file = file;
        a.variables.vars = values;
        return a;
    }

    Map<String, String> values() {
        return variables.values();
    }
}
