package io.netstack.cli;

import io.netstack.analysis.Finding;
import io.netstack.analysis.LintIgnore;
import io.netstack.analysis.LintReport;
import io.netstack.analysis.Linter;
import io.netstack.analysis.NetworkModel;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lint", description = "Check the declared network along its real paths (no AWS call). Exit 0 clean, 2 findings, 3 invalid.")
class LintCommand extends BaseCommand {
    enum Format { text, json, sarif }

    @Mixin
    StacksArgs stacks = new StacksArgs();

    @Option(names = "--format", paramLabel = "text|json|sarif", description = "Output format (default text; --json is --format json).")
    Format format;

    @Override
    boolean callsAws() {
        return false;
    }

    @Override
    public Integer call() {
        try (var ns = netstack()) {
            var files = Analysis.load(this, ns, stacks);
            LintIgnore.unknownRules(files).forEach(console.err()::println);
            List<Finding> findings = Linter.lint(NetworkModel.of(files));
            Format f = format != null ? format : global.json ? Format.json : Format.text;
            switch (f) {
                case text -> console.out().print(LintReport.text(findings));
                case json -> console.out().println(LintReport.json(findings).toPrettyString());
                case sarif -> console.out().println(LintReport.sarif(findings, new Version().getVersion()[0].substring("netstack ".length())).toPrettyString());
            }
            return findings.isEmpty() ? ExitCodes.OK : ExitCodes.CHANGES;
        }
    }
}
