package io.netstack.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.MultiStack;
import io.netstack.api.Netstack;
import io.netstack.engine.Action;
import io.netstack.engine.Json;
import io.netstack.engine.PlanJson;
import io.netstack.engine.StackSet;
import io.netstack.engine.Step;
import io.netstack.provider.AwsSession;
import io.netstack.spi.AwsFailure;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code plan|apply|destroy A.json B.json …} (or a directory): the stacks load and validate
 * together (every file's errors at once, exit 3), then run through {@link MultiStack}; the output
 * is one plan grouped by stack, each group headed by where the stack runs. One stack keeps the
 * single-stack path (and output) of each command.
 */
final class MultiRun {
    private MultiRun() {}

    /** Whether the arguments name more than one stack (several files, or a directory). */
    static boolean multi(Path first, List<Path> more) {
        return !more.isEmpty() || (first != null && Files.isDirectory(first));
    }

    /** The stack files: each argument, a directory standing for its {@code *.json} files (sorted, not recursive). */
    static List<Path> files(Path first, List<Path> more) {
        List<Path> out = new ArrayList<>();
        List<Path> args = new ArrayList<>();
        args.add(first);
        args.addAll(more);
        for (Path a : args) {
            if (!Files.isDirectory(a)) {
                out.add(a);
                continue;
            }
            try (Stream<Path> s = Files.list(a)) {
                List<Path> json = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
                if (json.isEmpty()) throw new IllegalArgumentException("directory " + a + " holds no stack files (*.json)");
                out.addAll(json);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list directory " + a + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Loads and validates every file (each gets the {@code --var}/{@code --var-file} values of the
     * variables it declares), reporting every file's errors before any AWS call, then checks the
     * set (names, references between the files, cycles).
     */
    static StackSet load(BaseCommand cmd, Netstack ns, List<Path> files, Map<String, String> values, boolean secretsRequired) {
        List<StackFile> stacks = new ArrayList<>();
        List<StackError> errors = new ArrayList<>();
        for (Path f : files) {
            try {
                StackFile s = cmd.loadAndValidate(ns, StackArgs.of(f, VarOptions.declared(f, values)));
                cmd.checkSecrets(ns, s, secretsRequired);
                stacks.add(s);
            } catch (StackException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new StackException(errors);
        return StackSet.of(stacks);
    }

    /** "Stack hub: account 111111111111, region eu-west-1, as arn:aws:sts::…" */
    static String header(StackFile s, AwsSession.Identity id) {
        return "Stack " + s.name() + ": account " + (id == null ? (s.account() != null && s.account().id() != null ? s.account().id() : "(unknown)") : id.account())
                + ", region " + s.region() + ", as " + (id == null ? "(unknown)" : id.arn());
    }

    static void where(ObjectNode o, StackFile s, AwsSession.Identity id) {
        if (id != null) {
            o.put("account", id.account());
            o.put("identity", id.arn());
        } else if (s.account() != null && s.account().id() != null) {
            o.put("account", s.account().id());
        }
    }

    static String message(Throwable e) {
        if (e instanceof AwsFailure f) return f.describe();
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** "stack NAME: message", unless the message already starts by naming the stack (identity errors do). */
    static String ofStack(String stack, Throwable e) {
        String m = message(e);
        return m.startsWith("stack " + stack + " ") || m.startsWith("stack " + stack + ":") ? m : "stack " + stack + ": " + m;
    }

    /** The plans, grouped by stack (text) or as {@code {"stacks": […], "summary": {…}}} (JSON). */
    static void print(BaseCommand cmd, List<MultiStack.StackPlan> plans) throws IOException {
        if (cmd.global.json) {
            ObjectNode root = Json.object();
            ArrayNode arr = root.putArray("stacks");
            Map<Action, Long> total = new java.util.EnumMap<>(Action.class);
            for (MultiStack.StackPlan p : plans) {
                ObjectNode o;
                if (p.ok()) {
                    o = PlanJson.render(p.plan());
                    for (Action a : Action.values()) total.merge(a, p.plan().count(a), Long::sum);
                } else {
                    o = Json.object();
                    o.put("stack", p.stack().name());
                    o.put("region", p.stack().region());
                    if (p.error() != null) o.put("error", message(p.error()));
                    if (p.skipped() != null) o.put("skipped", p.skipped());
                }
                where(o, p.stack(), p.identity());
                o.put("file", p.stack().file());
                arr.add(o);
            }
            ObjectNode summary = root.putObject("summary");
            for (Action a : Action.values()) if (a != Action.NOOP) summary.put(a.lower(), total.getOrDefault(a, 0L));
            summary.put("failed", plans.stream().filter(p -> !p.ok()).count());
            cmd.console.out().println(Json.MAPPER.writeValueAsString(root));
            return;
        }
        PrintStream out = cmd.console.out();
        long[] total = new long[Action.values().length];
        for (MultiStack.StackPlan p : plans) {
            out.println(header(p.stack(), p.identity()));
            if (p.ok()) {
                PlanRenderer.text(p.plan(), out);
                for (Action a : Action.values()) total[a.ordinal()] += p.plan().count(a);
            } else if (p.skipped() != null) {
                out.println("  not planned: " + p.skipped());
            } else {
                out.println("  error: " + message(p.error()));
            }
            out.println();
        }
        long failed = plans.stream().filter(p -> !p.ok()).count();
        out.println("All " + plans.size() + " stacks: " + total[Action.CREATE.ordinal()] + " to create, " + total[Action.UPDATE.ordinal()] + " to update, "
                + total[Action.REPLACE.ordinal()] + " to replace, " + total[Action.DELETE.ordinal()] + " to delete"
                + (failed == 0 ? "." : "; " + failed + " not planned."));
    }

    static int plan(BaseCommand cmd, List<Path> files, Map<String, String> values, boolean destroy, boolean detailed) throws IOException {
        try (Netstack ns = cmd.netstack()) {
            StackSet set = load(cmd, ns, files, values, !destroy);
            List<MultiStack.StackPlan> plans = MultiStack.plan(ns, set, destroy);
            print(cmd, plans);
            if (plans.stream().anyMatch(p -> !p.ok())) {
                for (MultiStack.StackPlan p : plans) if (p.error() != null) cmd.console.err().println("error: " + ofStack(p.stack().name(), p.error()));
                return ExitCodes.ERROR;
            }
            boolean changes = plans.stream().anyMatch(p -> p.plan().hasChanges());
            return detailed && changes ? ExitCodes.CHANGES : ExitCodes.OK;
        }
    }

    /** apply or destroy: plan all, show, confirm once, run along the graph, report per stack. */
    static int apply(BaseCommand cmd, List<Path> files, Map<String, String> values, boolean destroy, Approval approval,
                     io.netstack.engine.Parallelism parallelism, boolean forceUnlock) throws Exception {
        try (Netstack ns = cmd.netstack()) {
            StackSet set = load(cmd, ns, files, values, !destroy);
            List<MultiStack.StackPlan> plans = MultiStack.plan(ns, set, destroy);
            print(cmd, plans);
            boolean changes = plans.stream().anyMatch(p -> p.ok() && p.plan().hasChanges());
            boolean planFailed = plans.stream().anyMatch(p -> !p.ok());
            if (!changes) {
                if (!destroy) printOutputs(cmd, ns, plans);
                return planFailed ? ExitCodes.ERROR : ExitCodes.OK;
            }
            List<String> names = plans.stream().filter(p -> p.ok() && p.plan().hasChanges()).map(p -> p.stack().name()).toList();
            String question = (destroy ? "Destroy" : "Apply") + " the changes of stacks " + String.join(", ", names) + "?";
            if (!approval.confirm(cmd, question)) return ExitCodes.ERROR;
            // As ApplyRunner.locked: SIGINT/SIGTERM start no new change (nor stack), and hold the JVM
            // until in-flight changes are done and every lock is released.
            long t0 = System.nanoTime();
            PrintStream human = cmd.human();
            Map<String, MultiStack.Outcome> outcomes = ApplyRunner.stoppable(cmd, stop ->
                    MultiStack.apply(ns, set, plans, destroy, ApplyRunner.parallelism(parallelism),
                            name -> new ProgressPrinter(new PrefixedStream(human, "[" + name + "]")), stop, forceUnlock,
                            m -> cmd.console.err().println("warning: " + m),
                            p -> human.println("[" + p.stack().name() + "] planned again after the stacks it references were applied: " + PlanRenderer.summary(p.plan()))));
            return report(cmd, ns, set, outcomes, destroy, (System.nanoTime() - t0) / 1e9) && !planFailed ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    private static boolean report(BaseCommand cmd, Netstack ns, StackSet set, Map<String, MultiStack.Outcome> outcomes, boolean destroy, double secs) {
        PrintStream out = cmd.human();
        out.println();
        boolean ok = true;
        for (MultiStack.Outcome o : outcomes.values()) {
            String line = "  " + o.stack() + ": ";
            switch (o.status()) {
                case APPLIED -> line += (destroy ? "destroyed: " : "applied: ") + ApplyRunner.done(o.result().done());
                case NO_CHANGES -> line += "no changes";
                case SKIPPED -> line += "not started: " + o.reason() + (o.error() != null ? " (" + message(o.error()) + ")" : "");
                case STOPPED -> line += "stopped" + (o.result() == null ? ": " + o.reason() : ": " + o.result().done().size() + " done, " + o.result().notStarted().size() + " not started");
                case FAILED -> {
                    if (o.result() == null) line += "failed: " + (o.reason() != null ? o.reason() : message(o.error()));
                    else line += "failed: " + o.result().done().size() + " done, " + o.result().failed().size() + " failed, " + o.result().notStarted().size() + " not started";
                }
            }
            out.println(line);
            if (o.result() != null) {
                for (Map.Entry<Step, Throwable> f : o.result().failed().entrySet()) {
                    out.println("      failed: " + f.getKey().phase().name().toLowerCase() + " " + ProgressPrinter.label(f.getKey()) + ": " + ProgressPrinter.message(f.getValue()));
                }
            }
            if (o.status() != MultiStack.Status.APPLIED && o.status() != MultiStack.Status.NO_CHANGES) ok = false;
        }
        out.printf(java.util.Locale.ROOT, "%s %s in %.1fs.%n", destroy ? "Destroy" : "Apply", ok ? "complete" : "incomplete", secs);
        if (!ok) {
            out.println("Run `netstack " + (destroy ? "destroy" : "apply") + "` with the same stacks again to continue: it plans from what now exists.");
            for (MultiStack.Outcome o : outcomes.values()) {
                if (o.status() == MultiStack.Status.FAILED) {
                    Throwable first = o.error() != null ? o.error() : o.result() != null && !o.result().failed().isEmpty() ? o.result().failed().values().iterator().next() : null;
                    cmd.console.err().println("error: " + (first != null ? ofStack(o.stack(), first) : "stack " + o.stack() + ": " + o.reason()));
                }
            }
        }
        if (!destroy) {
            for (MultiStack.Outcome o : outcomes.values()) {
                if (o.status() == MultiStack.Status.APPLIED) {
                    Map<String, String> outputs = ns.outputs(set.get(o.stack()), o.result().resources());
                    if (!outputs.isEmpty()) {
                        out.println("Outputs of " + o.stack() + ":");
                        outputs.forEach((k, v) -> out.println("  " + k + " = " + (v == null ? "(unknown)" : v)));
                    }
                }
            }
        }
        return ok;
    }

    private static void printOutputs(BaseCommand cmd, Netstack ns, List<MultiStack.StackPlan> plans) {
        for (MultiStack.StackPlan p : plans) {
            if (!p.ok()) continue;
            Map<String, String> outputs = ns.outputs(p.stack(), p.plan().live());
            if (outputs.isEmpty()) continue;
            cmd.human().println("Outputs of " + p.stack().name() + ":");
            outputs.forEach((k, v) -> cmd.human().println("  " + k + " = " + (v == null ? "(unknown)" : v)));
        }
    }
}
