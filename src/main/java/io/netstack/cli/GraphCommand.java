package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.References;
import io.netstack.spi.ResourceView;
import io.netstack.spi.StackView;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "graph", description = "Print the stack's dependency graph (Graphviz DOT; no AWS call). Dashed: late-bound references.")
class GraphCommand extends OfflineCommand {
    @Override
    int run(Netstack ns, StackFile s) {
        var types = ns.provider(s.region());
        List<ResourceView> views = new ArrayList<>();
        s.resources().values().forEach(b -> views.add(new ResourceView(b.id(), b.type(), b.properties())));
        StackView view = References.view(views);
        StringBuilder sb = new StringBuilder("digraph \"" + s.name() + "\" {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for (ResourceView r : views) sb.append("  \"").append(r.id()).append("\" [label=\"").append(r.id()).append("\\n(").append(r.type()).append(")\"];\n");
        for (ResourceView r : views) {
            for (String d : References.dependencies(r, view, types)) sb.append("  \"").append(d).append("\" -> \"").append(r.id()).append("\";\n");
            for (String d : References.lateDependencies(r, view, types)) sb.append("  \"").append(d).append("\" -> \"").append(r.id()).append("\" [style=dashed];\n");
        }
        console.out().print(sb.append("}\n"));
        return ExitCodes.OK;
    }
}
