package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.stack.StackFile;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "output", description = "Print the stack's outputs, read from AWS.")
class OutputCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Print only this output's value.")
    String name;

    @Override
    public Integer call() throws Exception {
        try (Netstack ns = netstack()) {
            StackFile s = loadAndValidate(ns, stack);
            Map<String, String> outputs = ns.outputs(s, ns.read(s).byId());
            if (name != null) {
                if (!outputs.containsKey(name)) {
                    console.err().println("error: stack " + s.name() + " has no output \"" + name + "\" (it has: " + String.join(", ", outputs.keySet()) + ")");
                    return ExitCodes.INVALID_INPUT;
                }
                String v = outputs.get(name);
                if (v == null) {
                    console.err().println("error: output \"" + name + "\" has no value: its resource does not exist (apply first)");
                    return ExitCodes.ERROR;
                }
                console.out().println(global.json ? Json.MAPPER.writeValueAsString(v) : v);
                return ExitCodes.OK;
            }
            if (global.json) console.out().println(Json.MAPPER.writeValueAsString(outputs));
            else outputs.forEach((k, v) -> console.out().println(k + " = " + (v == null ? "(not created)" : v)));
            return ExitCodes.OK;
        }
    }
}
