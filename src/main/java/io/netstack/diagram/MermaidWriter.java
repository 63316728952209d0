package io.netstack.diagram;

import java.util.HashMap;
import java.util.Map;

/** Mermaid {@code flowchart} for Markdown (GitHub, GitLab render it): boxes as nested subgraphs. */
public final class MermaidWriter {
    private MermaidWriter() {}

    public static String write(NetworkModel m) {
        Map<String, String> ids = new HashMap<>();
        for (NetworkModel.Node n : m.nodes()) ids.put(n.key(), "n" + ids.size());
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        for (NetworkModel.Node n : m.children(null)) node(m, n, ids, sb, "  ");
        for (NetworkModel.Edge e : m.edges()) {
            String arrow = switch (e.style()) {
                case ROUTE -> "-->";
                case LINK -> "<-.->";
                case ASSOCIATION -> "---";
            };
            sb.append("  ").append(ids.get(e.from())).append(' ').append(arrow);
            if (e.label() != null && !e.label().isEmpty()) sb.append("|\"").append(escape(e.label())).append("\"|");
            sb.append(' ').append(ids.get(e.to())).append('\n');
        }
        sb.append("  classDef subnet fill:#e8f1fb,stroke:#3b73b9\n");
        sb.append("  classDef gateway fill:#fff4e0,stroke:#c77700\n");
        sb.append("  classDef external fill:#f3f3f3,stroke:#666\n");
        return sb.toString();
    }

    private static void node(NetworkModel m, NetworkModel.Node n, Map<String, String> ids, StringBuilder sb, String indent) {
        String label = escape(String.join("<br/>", n.lines()));
        String id = ids.get(n.key());
        if (n.kind().container()) {
            sb.append(indent).append("subgraph ").append(id).append("[\"").append(label).append("\"]\n");
            if (n.kind() != NetworkModel.Kind.REGION) sb.append(indent).append("  direction TB\n");
            for (NetworkModel.Node c : m.children(n.key())) node(m, c, ids, sb, indent + "  ");
            sb.append(indent).append("end\n");
            return;
        }
        String shape = n.kind() == NetworkModel.Kind.EXTERNAL ? "([\"" + label + "\"])" : "[\"" + label + "\"]";
        sb.append(indent).append(id).append(shape).append(":::").append(switch (n.kind()) {
            case SUBNET -> "subnet";
            case GATEWAY -> "gateway";
            default -> "external";
        }).append('\n');
    }

    /** Mermaid labels are quoted: a quote is written as an entity. */
    private static String escape(String s) {
        return s.replace("\"", "#quot;");
    }
}
