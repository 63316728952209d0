package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.diagram.DotWriter;
import io.netstack.diagram.MermaidWriter;
import io.netstack.diagram.NetworkModel;
import io.netstack.diagram.SvgWriter;
import io.netstack.stack.StackFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diagram", description = "Draw the network of one or more stacks (no AWS call): SVG, Mermaid (.mmd) or Graphviz DOT (.dot), chosen by the -o file's extension.")
class DiagramCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "STACK", description = "Stack files (JSON); links between them (${stack:other/id}) are drawn.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a stack variable (repeatable; applies to every stack).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--var-file", paramLabel = "FILE.json", description = "Set stack variables from a JSON object of name → value (repeatable; --var wins; applies to every stack).")
    List<Path> varFiles = new ArrayList<>();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Output: FILE.svg, FILE.mmd or FILE.dot.")
    Path out;

    @Override
    boolean callsAws() {
        return false;
    }

    @Override
    public Integer call() throws IOException {
        String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String format = name.endsWith(".svg") ? "svg" : name.endsWith(".mmd") || name.endsWith(".mermaid") ? "mermaid" : name.endsWith(".dot") || name.endsWith(".gv") ? "dot" : null;
        if (format == null) {
            console.err().println("error: " + out + ": choose the format by the extension: .svg, .mmd or .dot");
            return ExitCodes.INVALID_INPUT;
        }
        try (Netstack ns = netstack()) {
            List<StackFile> stacks = new ArrayList<>();
            for (Path f : files) {
                StackArgs a = new StackArgs();
                a.file = f;
                a.vars = vars;
                a.varFiles = varFiles;
                stacks.add(loadAndValidate(ns, a));
            }
            NetworkModel model = NetworkModel.of(stacks);
            String title = "netstack diagram: " + String.join(", ", stacks.stream().map(s -> s.name() + " (" + s.region() + ")").toList());
            String text = switch (format) {
                case "svg" -> SvgWriter.write(model, title);
                case "mermaid" -> MermaidWriter.write(model);
                default -> DotWriter.write(model, title);
            };
            Files.writeString(out, text);
            long subnets = model.nodes().stream().filter(n -> n.kind() == NetworkModel.Kind.SUBNET).count();
            human().println("Wrote " + out + " (" + subnets + " subnets, " + model.edges().size() + " links).");
            return ExitCodes.OK;
        }
    }
}
