package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanFile;
import io.netstack.engine.PlanJson;
import io.netstack.stack.StackFile;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", description = "Make AWS match the stack file (or apply a plan saved with plan -o).")
class ApplyCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @picocli.CommandLine.Parameters(index = "1..*", paramLabel = "MORE", description = "More stack files or directories (of *.json stack files): one run over all of them, ordered by their ${stack:…} references, each in its own account and region.")
    java.util.List<Path> more = new java.util.ArrayList<>();

    @Option(names = "--auto-approve", description = "Do not ask for confirmation.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N|adaptive", converter = GlobalOptions.ParallelismConverter.class,
            description = "Changes in flight at once, or adaptive (the default): starts at 8, grows while AWS does not throttle, halves when it does.")
    io.netstack.engine.Parallelism parallelism;

    @Option(names = "--force-unlock", description = "Break the stack's lock if another run holds it (after a crash).")
    boolean forceUnlock;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a JSON-lines event trace (start/end/wait/retry per change).")
    java.nio.file.Path trace;

    @Override
    public Integer call() throws Exception {
        if (MultiRun.multi(stack.file, more)) {
            java.util.List<Path> files;
            try {
                files = MultiRun.files(stack.file, more);
                for (Path f : files) {
                    if (PlanFile.isPlanFile(f)) throw new IllegalArgumentException(f + " is a saved plan: a saved plan holds one stack, and several stacks are applied from their files (apply re-plans each stack after the stacks it references)");
                }
            } catch (IllegalArgumentException e) {
                console.err().println("error: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            if (trace != null) console.err().println("note: --trace is written for single-stack applies only");
            return MultiRun.apply(this, files, stack.values(), false, autoApprove, parallelism, forceUnlock);
        }
        try (Netstack ns = netstack()) {
            PlanFile saved = PlanFile.isPlanFile(stack.file) ? PlanFile.read(stack.file) : null;
            StackArgs args = stack;
            if (saved != null) {
                args = new StackArgs();
                args.file = Path.of(saved.stackFile());
                args.vars = saved.variables();
            }
            StackFile s = loadAndValidate(ns, args);
            checkSecrets(ns, s, saved == null || !saved.destroy());
            if (s.account() != null) ns.identity(s); // the declared account is checked before the stack's lock is taken in it
            return ApplyRunner.locked(this, ns, s, forceUnlock, stop -> run(ns, s, saved, stop));
        }
    }

    private int run(Netstack ns, StackFile s, PlanFile saved, java.util.concurrent.atomic.AtomicBoolean stop) throws Exception {
        io.netstack.provider.AwsSession.Identity identity = s.account() != null ? ns.identity(s) : null;
        Plan plan = ns.plan(s, saved != null && saved.destroy());
        if (saved != null) {
            // Re-planned from the same inputs: anything but the very plan the file shows is refused.
            String stale = saved.staleReason(plan, s, console.env()::get);
            if (stale != null) {
                console.err().println("error: refusing to apply the saved plan " + stack.file + ": " + stale + ". Nothing was changed; run `netstack plan -o` again.");
                return ExitCodes.ERROR;
            }
        }
        if (global.json) {
            var json = PlanJson.render(plan);
            if (identity != null) MultiRun.where(json, s, identity);
            console.out().println(Json.MAPPER.writeValueAsString(json));
        } else {
            if (identity != null) console.out().println(MultiRun.header(s, identity));
            PlanRenderer.text(plan, console.out());
        }
        if (!plan.hasChanges()) {
            ApplyRunner.printOutputs(this, ns.outputs(s, plan.live()));
            return ExitCodes.OK;
        }
        if (saved == null && !ApplyRunner.confirm(this, "Apply these changes to stack " + s.name() + "?", autoApprove)) return ExitCodes.ERROR;
        return ApplyRunner.execute(this, ns, s, plan, ApplyRunner.parallelism(parallelism), stop, trace);
    }
}
