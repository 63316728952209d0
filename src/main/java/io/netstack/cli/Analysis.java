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
        Map<String, String> values = args.variables.values();
        for (Path p : args.files) {
            try {
                StackFile s = ns.load(p, VarOptions.declared(p, values), cmd.console.env());
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
}
