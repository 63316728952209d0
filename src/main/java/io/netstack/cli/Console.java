package io.netstack.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command writes: {@code out} for results (plan, JSON), {@code err} for progress and
 * errors. With {@code --json}, human progress goes to {@code err} so {@code out} stays parseable.
 */
public record Console(PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {
    public static Console system() {
        return new Console(System.out, System.err, System.getenv(), System.console() != null);
    }
}
