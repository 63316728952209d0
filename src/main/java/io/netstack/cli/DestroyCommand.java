package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Plan;
import io.netstack.stack.StackFile;
import picocli.CommandLine.Command;

@Command(name = "destroy", description = "Delete every resource the stack owns (and nothing else).")
class DestroyCommand extends ChangeCommand {
    DestroyCommand() {
        super(true);
    }

    @Override
    int single(Netstack ns) throws Exception {
        StackFile s = loadAndValidate(ns, stack);
        return locked(ns, s, stop -> run(ns, s, stop));
    }

    private int run(Netstack ns, StackFile s, java.util.concurrent.atomic.AtomicBoolean stop) throws Exception {
        io.netstack.provider.AwsSession.Identity identity = s.account() != null ? ns.identity(s) : null;
        Plan plan = ns.plan(s, true);
        show(plan, s, identity);
        if (!plan.hasChanges()) return ExitCodes.OK;
        if (!approval.confirm(this, "Destroy all " + plan.actionable().size() + " resources of stack " + s.name() + "?")) return ExitCodes.ERROR;
        return execute(ns, s, plan, stop);
    }
}
