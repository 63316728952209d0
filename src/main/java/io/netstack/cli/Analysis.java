package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Loading for the offline analysis commands: every file validated, all errors reported at once. */
final class Analysis {
    private Analysis() {}

    static List<StackFile> load(BaseCommand cmd, Netstack ns, StacksArgs args) {
        List<StackFile> out = new ArrayList<>();
        List<StackError> errors = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> values = args.values();
        for (Path p : args.files) {
            try {
                StackFile s = ns.load(p, declared(p, values), cmd.console.env());
                for (StackError w : ns.validate(s).warnings()) cmd.console.err().println(w.location() + ": warning: " + w.message());
                String before = names.putIfAbsent(s.name(), s.file());
                if (before != null) errors.add(new StackError(s.locate("/stack"), "stack \"" + s.name() + "\" is also the name of " + before));
                out.add(s);
            } catch (StackException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new StackException(errors);
        return out;
    }

    /** --var values apply to the files that declare the variable (one --var for several stacks). */
    private static Map<String, String> declared(Path p, Map<String, String> vars) {
        if (vars.isEmpty()) return vars;
        com.fasterxml.jackson.databind.JsonNode declared;
        try {
            declared = io.netstack.engine.Json.MAPPER.readTree(p.toFile()).path("variables");
        } catch (java.io.IOException e) {
            return vars; // the loader reports what is wrong with the file
        }
        Map<String, String> out = new HashMap<>();
        vars.forEach((k, v) -> {
            if (declared.has(k)) out.put(k, v);
        });
        return out;
    }
}
