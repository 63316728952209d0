package io.netstack.diagram;

import java.util.HashMap;
import java.util.Map;

/** Graphviz DOT: boxes as nested clusters ({@code compound=true} lets edges end on a cluster). */
public final class DotWriter {
    private DotWriter() {}

    public static String write(NetworkModel m, String name) {
        Map<String, String> ids = new HashMap<>();
        for (NetworkModel.Node n : m.nodes()) ids.put(n.key(), "n" + ids.size());
        StringBuilder sb = new StringBuilder("digraph \"" + esc(name) + "\" {\n");
        sb.append("  rankdir=LR; compound=true; newrank=true;\n");
        sb.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n");
        sb.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (NetworkModel.Node n : m.children(null)) node(m, n, ids, sb, "  ");
        for (NetworkModel.Edge e : m.edges()) {
            NetworkModel.Node from = m.node(e.from()), to = m.node(e.to());
            // An edge to a cluster is drawn to a node inside it, clipped at the cluster (lhead/ltail).
            sb.append("  ").append(anchor(m, from, ids)).append(" -> ").append(anchor(m, to, ids)).append(" [");
            if (from.kind().container()) sb.append("ltail=cluster_").append(ids.get(from.key())).append(", ");
            if (to.kind().container()) sb.append("lhead=cluster_").append(ids.get(to.key())).append(", ");
            if (e.label() != null && !e.label().isEmpty()) sb.append("label=\"").append(esc(e.label())).append("\", ");
            if (e.tooltip() != null) sb.append("tooltip=\"").append(esc(e.tooltip())).append("\", ");
            sb.append(switch (e.style()) {
                case ROUTE -> "color=\"#3b73b9\"";
                case LINK -> "style=dashed, dir=both, color=\"#8a3ab9\"";
                case ASSOCIATION -> "style=dotted, arrowhead=none, color=\"#666666\"";
            }).append("];\n");
        }
        return sb.append("}\n").toString();
    }

    private static String anchor(NetworkModel m, NetworkModel.Node n, Map<String, String> ids) {
        NetworkModel.Node at = n;
        while (at.kind().container()) {
            var kids = m.children(at.key());
            if (kids.isEmpty()) return ids.get(at.key()) + "_empty";
            at = kids.get(0);
        }
        return ids.get(at.key());
    }

    private static void node(NetworkModel m, NetworkModel.Node n, Map<String, String> ids, StringBuilder sb, String indent) {
        String id = ids.get(n.key());
        String label = esc(String.join("\n", n.lines())).replace("\n", "\\n");
        if (n.kind().container()) {
            sb.append(indent).append("subgraph cluster_").append(id).append(" {\n");
            sb.append(indent).append("  label=\"").append(label).append("\"; style=\"rounded").append(n.kind() == NetworkModel.Kind.ZONE ? ",dashed" : "")
                    .append("\"; color=\"").append(n.kind() == NetworkModel.Kind.VPC ? "#2e7d32" : "#888888").append("\";\n");
            var kids = m.children(n.key());
            if (kids.isEmpty()) sb.append(indent).append("  ").append(id).append("_empty [label=\"\", shape=point, style=invis];\n");
            for (NetworkModel.Node c : kids) node(m, c, ids, sb, indent + "  ");
            sb.append(indent).append("}\n");
            return;
        }
        String fill = switch (n.kind()) {
            case SUBNET -> "#e8f1fb";
            case GATEWAY -> "#fff4e0";
            default -> "#f3f3f3";
        };
        sb.append(indent).append(id).append(" [label=\"").append(label).append("\", fillcolor=\"").append(fill).append('"')
                .append(n.kind() == NetworkModel.Kind.EXTERNAL ? ", shape=ellipse" : "").append("];\n");
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
