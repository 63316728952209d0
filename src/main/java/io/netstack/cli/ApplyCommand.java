package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanFile;
import io.netstack.stack.StackFile;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(name = "apply", description = "Make AWS match the stack file (or apply a plan saved with plan -o).")
class ApplyCommand extends ChangeCommand {
    ApplyCommand() {
        super(false);
    }

    @Override
    int single(Netstack ns) throws Exception {
        PlanFile saved = PlanFile.isPlanFile(stack.file) ? PlanFile.read(stack.file) : null;
        StackArgs args = saved == null ? stack : StackArgs.of(Path.of(saved.stackFile()), saved.variables());
        StackFile s = loadAndValidate(ns, args);
        checkSecrets(ns, s, saved == null || !saved.destroy());
        return locked(ns, s, stop -> run(ns, s, saved, stop));
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
        show(plan, s, identity);
        if (!plan.hasChanges()) {
            ApplyRunner.printOutputs(this, ns.outputs(s, plan.live()));
            return ExitCodes.OK;
        }
        if (saved == null && !approval.confirm(this, "Apply these changes to stack " + s.name() + "?")) return ExitCodes.ERROR;
        return execute(ns, s, plan, stop);
    }
}
