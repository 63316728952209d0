package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Issue 13 item 11: every subcommand's help, {@code help CMD}, and shell completion. */
class HelpAndCompletionTest {
    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "plan", "apply", "destroy", "output", "drift", "graph", "schema", "completion"})
    void everySubcommandPrintsItsUsage(String cmd) {
        for (String[] args : new String[][] {{cmd, "--help"}, {cmd, "-h"}, {"help", cmd}}) {
            Run r = run(args);
            assertEquals(0, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.out().startsWith("Usage: netstack " + cmd), String.join(" ", args) + ": " + r);
            assertTrue(r.err().isEmpty(), r.err());
        }
    }

    /** Picocli reads ${…} in a description as a variable and % as a format: both must be escaped. */
    @ParameterizedTest
    @ValueSource(strings = {"plan", "apply", "destroy"})
    void helpShowsDollarAndPercentSignsAsWritten(String cmd) {
        PrintStream saved = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Run r;
        try {
            r = run(cmd, "--help");
        } finally {
            System.setErr(saved);
        }
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("ordered by their ${stack:…} references"), r.out());
        assertTrue(text.contains("such as 50% when"), r.out());
        assertTrue(stderr.toString(StandardCharsets.UTF_8).isEmpty(), "picocli warned: " + stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyRegisteredSubcommandIsCovered() {
        for (String name : NetstackCommand.SUBCOMMANDS.keySet()) {
            Run r = run(name, "--help");
            assertEquals(0, r.exit(), name + ": " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void completionScriptNamesEveryCommandAndItsOptions(String shell) {
        Run r = run("completion", shell);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("complete -F _complete_netstack"), r.out());
        for (String name : NetstackCommand.SUBCOMMANDS.keySet()) assertTrue(r.out().contains(name), name);
        assertTrue(r.out().contains("--detailed-exitcode") && r.out().contains("--report-dir") && r.out().contains("--endpoint-url"));
    }

    @Test
    void completionForAnUnknownShellIsInvalidInput() {
        Run r = run("completion", "fish");
        assertEquals(ExitCodes.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("bash") && r.err().contains("zsh"), r.err());
    }
}
