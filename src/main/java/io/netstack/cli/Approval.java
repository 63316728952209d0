package io.netstack.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/** {@code --auto-approve}, and the question asked without it: the commands that change AWS (apply, destroy, adopt). */
final class Approval {
    @Option(names = "--auto-approve", description = "Do not ask for confirmation.")
    boolean auto;

    /** Yes under --auto-approve; else only a typed "yes", and a refusal when there is no terminal to ask. */
    boolean confirm(BaseCommand cmd, String question) {
        if (auto) return true;
        if (!cmd.console.interactive()) {
            cmd.console.err().println("error: refusing to change AWS without confirmation: there is no terminal to ask. Pass --auto-approve, or apply a saved plan.");
            return false;
        }
        cmd.console.out().print(question + " Only 'yes' is accepted: ");
        cmd.console.out().flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if ("yes".equals(line == null ? null : line.trim())) return true;
        } catch (java.io.IOException ignored) {
            // treated as "no"
        }
        cmd.console.out().println("Cancelled; nothing was changed.");
        return false;
    }
}
