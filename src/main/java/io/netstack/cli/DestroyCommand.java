package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanJson;
import io.netstack.stack.StackFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "destroy", description = "Delete every resource the stack owns (and nothing else).")
class DestroyCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @picocli.CommandLine.Parameters(index = "1..*", paramLabel = "MORE", description = "More stack files or directories (of *.json stack files): one run over all of them, ordered by their ${stack:…} references, each in its own account and region.")
    java.util.List<java.nio.file.Path> more = new java.util.ArrayList<>();

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
            java.util.List<java.nio.file.Path> files;
            try {
                files = MultiRun.files(stack.file, more);
            } catch (IllegalArgumentException e) {
                console.err().println("error: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            if (trace != null) console.err().println("note: --trace is written for single-stack destroys only");
            return MultiRun.apply(this, files, stack.values(), true, autoApprove, parallelism, forceUnlock);
        }
        try (Netstack ns = netstack()) {
            StackFile s = loadAndValidate(ns, stack);
            if (s.account() != null) ns.identity(s); // the declared account is checked before the stack's lock is taken in it
            return ApplyRunner.locked(this, ns, s, forceUnlock, stop -> run(ns, s, stop));
        }
    }

    private int run(Netstack ns, StackFile s, java.util.concurrent.atomic.AtomicBoolean stop) throws Exception {
        io.netstack.provider.AwsSession.Identity identity = s.account() != null ? ns.identity(s) : null;
        Plan plan = ns.plan(s, true);
        if (global.json) {
            var json = PlanJson.render(plan);
            if (identity != null) MultiRun.where(json, s, identity);
            console.out().println(Json.MAPPER.writeValueAsString(json));
        } else {
            if (identity != null) console.out().println(MultiRun.header(s, identity));
            PlanRenderer.text(plan, console.out());
        }
        if (!plan.hasChanges()) return ExitCodes.OK;
        if (!ApplyRunner.confirm(this, "Destroy all " + plan.actionable().size() + " resources of stack " + s.name() + "?", autoApprove)) return ExitCodes.ERROR;
        return ApplyRunner.execute(this, ns, s, plan, ApplyRunner.parallelism(parallelism), stop, trace);
    }
}
