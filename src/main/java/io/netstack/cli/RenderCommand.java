package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.stack.LocatedJson;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import picocli.CommandLine.Command;

/**
 * Prints the stack fully expanded (repetition, conditions, functions, modules and variables
 * resolved) as a plain v1 stack file, which validates and plans exactly like its source. The
 * expansion is validated first, so a bad template fails here as it would in plan (exit 3).
 */
@Command(name = "render", description = "Print the fully expanded stack (plain v1 JSON; no AWS call).")
class RenderCommand extends OfflineCommand {
    @Override
    int run(Netstack ns, StackFile s) throws Exception {
        LocatedJson expanded = StackLoader.render(stack.file, stack.values(), console.env());
        console.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expanded.root()));
        return ExitCodes.OK;
    }
}
