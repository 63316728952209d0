package io.netstack.cli;

import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Step;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.Waiter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** One line when a change starts and when it ends, "still waiting" for long waits, retries. */
final class ProgressPrinter implements ExecutionListener {
    private final PrintStream out;

    ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    private static String verb(Step s, boolean done) {
        return switch (s.phase()) {
            case CREATE -> done ? "created" : "creating";
            case UPDATE -> done ? "updated" : "updating";
            case DELETE -> done ? "deleted" : "deleting";
            case DETACH -> done ? "detached references from" : "detaching references from";
        };
    }

    static String label(Step s) {
        return s.change().id() + " (" + s.change().type() + ")";
    }

    @Override
    public void started(Step s) {
        out.println("  " + verb(s, false) + " " + label(s) + (s.change().awsId() != null && s.phase() != Step.Phase.CREATE ? " " + s.change().awsId() : "") + " ...");
    }

    @Override
    public void finished(Step s, Duration took) {
        out.println("  " + verb(s, true) + " " + label(s) + " in " + seconds(took));
    }

    @Override
    public void failed(Step s, Duration took, Throwable e) {
        out.println("  FAILED " + s.phase().name().toLowerCase() + " " + label(s) + " after " + seconds(took) + ": " + message(e));
    }

    @Override
    public void waiting(String resource, String what, String state, Duration elapsed) {
        out.println("  still waiting: " + resource + ": " + what + " (state " + state + ", " + Waiter.human(elapsed) + ")");
    }

    @Override
    public void retrying(String resource, String action, String reason, int attempt, Duration delay) {
        out.println("  retrying: " + (resource == null ? "" : resource + ": ") + (action == null ? "" : action + " ") + "after " + reason
                + " (attempt " + (attempt + 1) + ", in " + seconds(delay) + ")");
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    static String message(Throwable e) {
        if (e instanceof AwsFailure f) return f.describe();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
