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

@Command(name = "plan", description = "Show what apply would change (reads AWS, changes nothing).")
class PlanCommand extends BaseCommand {
    @Mixin
    StackArgs stack = new StackArgs();

    @picocli.CommandLine.Parameters(index = "1..*", paramLabel = "MORE", description = "More stack files or directories (of *.json stack files): one run over all of them, ordered by their $${stack:…} references, each in its own account and region.")
    java.util.List<Path> more = new java.util.ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Save the plan for a later `apply FILE`.")
    Path out;

    @Option(names = "--destroy", description = "Plan the destruction of the stack.")
    boolean destroy;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when there are changes, 0 when there are none.")
    boolean detailed;

    @Option(names = "--prices", paramLabel = "FILE", description = "Price table for the monthly cost change (JSON, the shipped table's format).")
    Path prices;

    @Override
    public Integer call() throws Exception {
        if (MultiRun.multi(stack.file, more)) {
            if (out != null) {
                console.err().println("error: -o saves the plan of one stack; a plan of several stacks cannot be saved (apply re-plans each stack after the ones it references). Plan them without -o, or save one stack's plan at a time.");
                return ExitCodes.INVALID_INPUT;
            }
            if (prices != null) console.err().println("note: --prices: the cost change is shown for single-stack plans only");
            java.util.List<Path> files;
            try {
                files = MultiRun.files(stack.file, more);
            } catch (IllegalArgumentException e) {
                console.err().println("error: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
            return MultiRun.plan(this, files, stack.values(), destroy, detailed);
        }
        if (out != null && clobbers(out, stack.file)) {
            console.err().println("error: " + out + " is " + (sameFile(out, stack.file) ? "the stack file itself" : "not a saved plan")
                    + "; refusing to overwrite it with a plan. Choose another -o file.");
            return ExitCodes.INVALID_INPUT;
        }
        io.netstack.cost.PriceTable table;
        try {
            table = CostRenderer.prices(prices); // a bad --prices file stops the plan before AWS is called
        } catch (IllegalArgumentException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        try (Netstack ns = netstack()) {
            StackFile s = loadAndValidate(ns, stack);
            checkSecrets(ns, s, !destroy);
            // A stack that names its account says where it runs, checked before anything is read.
            io.netstack.provider.AwsSession.Identity identity = s.account() != null ? ns.identity(s) : null;
            long t0 = System.nanoTime();
            Plan plan = ns.plan(s, destroy);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            io.netstack.cost.Estimate cost = costChange(table, plan);
            if (global.json) {
                var json = PlanJson.render(plan);
                if (cost != null) json.set("cost", CostRenderer.json(cost, "monthlyChange"));
                if (identity != null) MultiRun.where(json, s, identity);
                console.out().println(Json.MAPPER.writeValueAsString(json));
            } else {
                if (identity != null) console.out().println(MultiRun.header(s, identity));
                PlanRenderer.text(plan, console.out());
                if (cost != null && plan.hasChanges()) CostRenderer.planChange(cost, console.out());
                console.err().println("(read " + plan.live().size() + " live resources in " + ms + " ms)");
            }
            if (out != null) {
                PlanFile.of(plan, stack.file.toAbsolutePath().toString(), s, console.env()::get).write(out);
                human().println("Saved the plan to " + out + "; apply it with: netstack apply " + out);
            }
            return detailed && plan.hasChanges() ? ExitCodes.CHANGES : ExitCodes.OK;
        }
    }

    /** The plan's monthly cost change; a region the table lacks is a note, not a failed plan. */
    private io.netstack.cost.Estimate costChange(io.netstack.cost.PriceTable table, Plan plan) {
        try {
            return new io.netstack.cost.CostEstimator(table).change(plan);
        } catch (IllegalArgumentException e) {
            console.err().println("note: no cost estimate: " + e.getMessage());
            return null;
        }
    }

    /** Writing the plan to {@code out} would destroy something that is not a plan: the stack file, or any other non-empty file. */
    static boolean clobbers(Path out, Path stackFile) {
        if (sameFile(out, stackFile)) return true;
        try {
            return java.nio.file.Files.isRegularFile(out) && java.nio.file.Files.size(out) > 0 && !PlanFile.isPlanFile(out);
        } catch (java.io.IOException e) {
            return false; // writing will report it
        }
    }

    static boolean sameFile(Path a, Path b) {
        try {
            if (java.nio.file.Files.exists(a) && java.nio.file.Files.exists(b)) return java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException ignored) {
            // fall back to comparing paths
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
