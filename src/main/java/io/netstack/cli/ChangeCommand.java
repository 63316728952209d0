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

    @Option(names = "--auto-approve", description = "Do not ask for confirmation.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N|adaptive", converter = GlobalOptions.ParallelismConverter.class,
            description = "Changes in flight at once, or adaptive (the default): starts at 8, grows while AWS does not throttle, halves when it does.")
    io.netstack.engine.Parallelism parallelism;

    @Option(names = "--force-unlock", description = "Break the stack's lock if another run holds it (after a crash).")
    boolean forceUnlock;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a JSON-lines event trace (start/end/wait/retry per change).")
    java.nio.file.Path trace;

    /** The plan as the user reviews it: JSON under --json, else text. */
    void show(Plan plan) throws Exception {
        if (global.json) console.out().println(Json.MAPPER.writeValueAsString(PlanJson.render(plan)));
        else PlanRenderer.text(plan, console.out());
    }

    /** Executes {@code plan} with this command's --parallelism and --trace. */
    int execute(Netstack ns, StackFile s, Plan plan, AtomicBoolean stop) throws Exception {
        return ApplyRunner.execute(this, ns, s, plan, ApplyRunner.parallelism(parallelism), stop, trace);
    }
}
