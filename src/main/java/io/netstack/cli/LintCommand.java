package io.netstack.cli;

import io.netstack.analysis.Finding;
import io.netstack.analysis.LintIgnore;
import io.netstack.analysis.LintReport;
import io.netstack.analysis.Linter;
import io.netstack.analysis.NetworkModel;
import io.netstack.api.Netstack;
import io.netstack.stack.StackFile;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lint", description = "Check the declared network along its real paths (no AWS call). Exit 0 clean, 2 findings, 3 invalid.")
class LintCommand extends AnalysisCommand {
    enum Format { text, json, sarif }

    @Option(names = "--format", paramLabel = "text|json|sarif", description = "Output format (default text; --json is --format json).")
    Format format;

    @Override
    int run(Netstack ns, List<StackFile> files) {
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
