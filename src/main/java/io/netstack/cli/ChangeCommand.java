package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanJson;
import io.netstack.stack.StackFile;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What apply and destroy share: their options, showing the plan, and running it under the stack's lock. */
abstract class ChangeCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @picocli.CommandLine.Parameters(index = "1..*", paramLabel = "MORE", description = "More stack files or directories (of *.json stack files): one run over all of them, ordered by their $${stack:…} references, each in its own account and region.")
    java.util.List<java.nio.file.Path> more = new java.util.ArrayList<>();

    @Mixin
    Approval approval = new Approval();

    @Option(names = "--parallelism", paramLabel = "N|adaptive", converter = GlobalOptions.ParallelismConverter.class,
            description = "Changes in flight at once, or adaptive (the default): starts at 8, grows while AWS does not throttle, halves when it does.")
    io.netstack.engine.Parallelism parallelism;

    @Option(names = "--force-unlock", description = "Break the stack's lock if another run holds it (after a crash).")
    boolean forceUnlock;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a JSON-lines event trace (start/end/wait/retry per change).")
    java.nio.file.Path trace;

    /** Whether the command plans the stack's destruction (destroy) or its file (apply). */
    private final boolean destroys;

    ChangeCommand(boolean destroys) {
        this.destroys = destroys;
    }

    /** The run of a single stack file (or saved plan), in the command's session. */
    abstract int single(Netstack ns) throws Exception;

    @Override
    public final Integer call() throws Exception {
        Integer several = multi(destroys);
        if (several != null) return several;
        try (Netstack ns = netstack()) {
            return single(ns);
        }
    }

    /** Runs {@code body} under the stack's lock; the declared account is checked before the lock is taken in it. */
    int locked(Netstack ns, StackFile s, ApplyRunner.Body body) throws Exception {
        if (s.account() != null) ns.identity(s);
        return ApplyRunner.locked(this, ns, s, forceUnlock, body);
    }

    /** The plan as the user reviews it: JSON under --json, else text; headed by where it runs when the stack names its account. */
    void show(Plan plan, StackFile s, io.netstack.provider.AwsSession.Identity identity) throws Exception {
        if (global.json) {
            var json = PlanJson.render(plan);
            if (identity != null) MultiRun.where(json, s, identity);
            console.out().println(Json.MAPPER.writeValueAsString(json));
        } else {
            if (identity != null) console.out().println(MultiRun.header(s, identity));
            PlanRenderer.text(plan, console.out());
        }
    }

    /** Several stack files (or a directory): one run over all of them; null when this is a single-stack run. */
    Integer multi(boolean destroy) throws Exception {
        if (!MultiRun.multi(stack.file, more)) return null;
        java.util.List<java.nio.file.Path> files;
        try {
            files = MultiRun.files(stack.file, more);
            for (java.nio.file.Path f : files) {
                if (io.netstack.engine.PlanFile.isPlanFile(f)) throw new IllegalArgumentException(f + " is a saved plan: a saved plan holds one stack, and several stacks are applied from their files (apply re-plans each stack after the stacks it references)");
            }
        } catch (IllegalArgumentException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (trace != null) console.err().println("note: --trace is written for single-stack runs only");
        return MultiRun.apply(this, files, stack.values(), destroy, approval, parallelism, forceUnlock);
    }

    /** Executes {@code plan} with this command's --parallelism and --trace. */
    int execute(Netstack ns, StackFile s, Plan plan, AtomicBoolean stop) throws Exception {
        return ApplyRunner.execute(this, ns, s, plan, ApplyRunner.parallelism(parallelism), stop, trace);
    }
}
