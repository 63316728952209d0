package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.stack.StackFile;
import picocli.CommandLine.Command;

@Command(name = "validate", description = "Check a stack file without calling AWS.")
class ValidateCommand extends OfflineCommand {
    @Override
    boolean allowsUnsetVariables() {
        return true;
    }

    @Override
    int run(Netstack ns, StackFile s) {
        checkSecrets(ns, s, false);
        if (global.json) {
            var o = Json.object();
            o.put("file", s.file());
            o.put("stack", s.name());
            o.put("valid", true);
            o.put("resources", s.resources().size());
            var unset = o.putArray("unsetVariables");
            s.unsetVariables().forEach(unset::add);
            console.out().println(o);
        } else {
            console.out().println(s.file() + ": valid (stack " + s.name() + ", " + s.resources().size() + " resources)"
                    + (s.unsetVariables().isEmpty() ? "" : "; values of variables without a value (" + String.join(", ", s.unsetVariables()) + ") are checked at plan time"));
        }
        return ExitCodes.OK;
    }
}
