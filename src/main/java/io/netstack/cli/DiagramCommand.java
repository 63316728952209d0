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
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "diagram", description = "Draw the network of one or more stacks (no AWS call): SVG, Mermaid (.mmd) or Graphviz DOT (.dot), chosen by the -o file's extension.")
class DiagramCommand extends AnalysisCommand {

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Output: FILE.svg, FILE.mmd or FILE.dot.")
    Path out;

    @Override
    int run(Netstack ns, List<StackFile> files) throws IOException {
        String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String format = name.endsWith(".svg") ? "svg" : name.endsWith(".mmd") || name.endsWith(".mermaid") ? "mermaid" : name.endsWith(".dot") || name.endsWith(".gv") ? "dot" : null;
        if (format == null) {
            console.err().println("error: " + out + ": choose the format by the extension: .svg, .mmd or .dot");
            return ExitCodes.INVALID_INPUT;
        }
        NetworkModel model = NetworkModel.of(files);
        String title = "netstack diagram: " + String.join(", ", files.stream().map(s -> s.name() + " (" + s.region() + ")").toList());
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
