package io.netstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.stack.VarFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --var} and {@code --var-file}, for every command that reads stack files: one stack file
 * ({@link StackArgs}) or several ({@link StacksArgs}, drift), so that they all take the same values
 * the same way.
 */
public class VarOptions {
    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a stack variable (repeatable; with several stack files, applies to every file that declares it).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--var-file", paramLabel = "FILE.json", description = "Set stack variables from a JSON object of name → value (repeatable; --var wins; with several stack files, applies to every file that declares them).")
    List<Path> varFiles = new ArrayList<>();

    /** The variables files in order, then --var on top. */
    Map<String, String> values() {
        Map<String, String> all = new LinkedHashMap<>();
        for (Path f : varFiles) all.putAll(VarFile.read(f));
        all.putAll(vars);
        return all;
    }

    /**
     * The values of {@code values} that the file declares as variables (the others are for other
     * files): one {@code --var} serves several stacks, and a stack rejects a value it does not declare.
     */
    static Map<String, String> declared(Path f, Map<String, String> values) {
        Map<String, String> mine = new LinkedHashMap<>();
        if (values.isEmpty()) return mine;
        try {
            JsonNode declared = Json.MAPPER.readTree(f.toFile()).path("variables");
            values.forEach((k, v) -> {
                if (declared.has(k)) mine.put(k, v);
            });
        } catch (IOException | RuntimeException e) {
            // not JSON: the loader reports it with its location
        }
        return mine;
    }
}
