package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.cost.CostEstimator;
import io.netstack.cost.Estimate;
import io.netstack.stack.StackFile;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cost", description = "Estimate the monthly cost of the stack's hourly-billed network objects from a price table (no AWS call).")
class CostCommand extends OfflineCommand {
    @Option(names = "--prices", paramLabel = "FILE", description = "Price table (JSON, the shipped table's format) instead of the shipped one.")
    Path prices;

    @Override
    int run(Netstack ns, StackFile s) {
        Estimate e;
        try {
            e = new CostEstimator(CostRenderer.prices(prices)).stack(s);
        } catch (IllegalArgumentException ex) {
            console.err().println("error: " + ex.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (global.json) console.out().println(CostRenderer.json(e, "monthly"));
        else CostRenderer.text(s.name(), e, console.out());
        return ExitCodes.OK;
    }
}
