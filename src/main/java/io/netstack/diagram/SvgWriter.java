package io.netstack.diagram;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.HierarchyHandling;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * SVG laid out by the Eclipse Layout Kernel (layered, hierarchical: one layout over all nesting
 * levels, so route edges cross the zone and VPC boxes orthogonally), drawn here as plain
 * rects, text and paths: no browser, no Graphviz needed.
 */
public final class SvgWriter {
    private SvgWriter() {}

    static final double FONT = 12, CHAR_W = 7.0, LINE_H = 15, EDGE_FONT = 10, EDGE_CHAR_W = 5.8;
    private static final Object INIT = new Object();
    private static volatile boolean registered;

    /** ELK finds algorithms through its metadata service; outside Eclipse we register the one we use. */
    private static void register() {
        synchronized (INIT) {
            if (!registered) {
                LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
                registered = true;
            }
        }
    }

    public static String write(NetworkModel m, String title) {
        register();
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.HIERARCHY_HANDLING, HierarchyHandling.INCLUDE_CHILDREN);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(20));
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, 18.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_EDGE_BETWEEN_LAYERS, 8.0);
        // Keep zones and subnets in file order (zone a above zone b) where crossings allow.
        root.setProperty(LayeredOptions.CONSIDER_MODEL_ORDER_STRATEGY, org.eclipse.elk.alg.layered.options.OrderingStrategy.NODES_AND_EDGES);

        Map<String, ElkNode> elk = new HashMap<>();
        Map<ElkNode, NetworkModel.Node> back = new HashMap<>();
        for (NetworkModel.Node n : m.nodes()) {
            ElkNode parent = n.parent() == null ? root : elk.get(n.parent());
            ElkNode e = ElkGraphUtil.createNode(parent);
            e.setIdentifier(n.key());
            if (n.kind().container()) {
                double top = 10 + LINE_H * n.lines().size();
                e.setProperty(CoreOptions.PADDING, new ElkPadding(top, 14, 14, 14));
                e.setProperty(CoreOptions.NODE_SIZE_MINIMUM, new org.eclipse.elk.core.math.KVector(textWidth(n.lines(), CHAR_W) + 28, top + 20));
                e.setProperty(CoreOptions.NODE_SIZE_CONSTRAINTS, java.util.EnumSet.of(org.eclipse.elk.core.options.SizeConstraint.MINIMUM_SIZE));
                if (n.kind() == NetworkModel.Kind.ZONE) e.setProperty(LayeredOptions.DIRECTION, Direction.DOWN);
            } else {
                e.setDimensions(Math.max(90, textWidth(n.lines(), CHAR_W) + 20), 10 + LINE_H * n.lines().size());
            }
            elk.put(n.key(), e);
            back.put(e, n);
        }
        Map<ElkEdge, NetworkModel.Edge> edges = new java.util.LinkedHashMap<>();
        java.util.Set<String> labelled = new java.util.HashSet<>();
        for (NetworkModel.Edge e : m.edges()) {
            ElkEdge ee = ElkGraphUtil.createSimpleEdge(elk.get(e.from()), elk.get(e.to()));
            // Many subnets routing the same destinations to one target (every private subnet of a
            // zone to its NAT gateway): one label says it; the others keep it in their tooltip.
            if (e.label() != null && !e.label().isEmpty() && labelled.add(e.to() + "\u0000" + e.label())) {
                ElkLabel l = ElkGraphUtil.createLabel(e.label(), ee);
                l.setDimensions(e.label().length() * EDGE_CHAR_W + 4, EDGE_FONT + 4);
                l.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            }
            edges.put(ee, e);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        StringBuilder sb = new StringBuilder();
        double w = root.getWidth(), h = root.getHeight() + 30;
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"Helvetica, Arial, sans-serif\">%n", w, h, w, h));
        sb.append("<title>").append(xml(title)).append("</title>\n");
        sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%.0f\" font-size=\"11\" fill=\"#555\">%s</text>%n", h - 10, xml(title)));
        for (NetworkModel.Node n : m.nodes()) drawNode(sb, n, elk.get(n.key()));
        for (Map.Entry<ElkEdge, NetworkModel.Edge> en : edges.entrySet()) drawEdge(sb, en.getKey(), en.getValue());
        return sb.append("</svg>\n").toString();
    }

    private static double textWidth(List<String> lines, double charW) {
        return lines.stream().mapToInt(String::length).max().orElse(0) * charW;
    }

    /** ELK positions are relative to the parent; SVG wants page coordinates. */
    private static double[] abs(ElkNode n) {
        double x = 0, y = 0;
        for (ElkNode p = n; p != null; p = p.getParent()) {
            x += p.getX();
            y += p.getY();
        }
        return new double[] {x, y};
    }

    private static void drawNode(StringBuilder sb, NetworkModel.Node n, ElkNode e) {
        double[] a = abs(e);
        String fill, stroke, dash = "";
        double rx = 6;
        switch (n.kind()) {
            case REGION -> { fill = "#fafafa"; stroke = "#9e9e9e"; }
            case VPC -> { fill = "#f1f8f1"; stroke = "#2e7d32"; }
            case ZONE -> { fill = "#ffffff"; stroke = "#90a4ae"; dash = " stroke-dasharray=\"5,3\""; }
            case SUBNET -> { fill = n.lines().size() > 2 ? "#e3f2e1" : "#e8f1fb"; stroke = n.lines().size() > 2 ? "#43a047" : "#3b73b9"; rx = 3; }
            case GATEWAY -> { fill = "#fff4e0"; stroke = "#c77700"; }
            default -> { fill = "#f3f3f3"; stroke = "#616161"; rx = 16; }
        }
        sb.append(String.format(Locale.ROOT, "<g class=\"%s\" data-id=\"%s\"><title>%s</title>", n.kind().name().toLowerCase(Locale.ROOT), xml(n.key()), xml(n.type() + " " + n.key())));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%.0f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"%s/>",
                a[0], a[1], e.getWidth(), e.getHeight(), rx, fill, stroke, n.kind() == NetworkModel.Kind.VPC ? "2" : "1", dash));
        boolean container = n.kind().container();
        for (int i = 0; i < n.lines().size(); i++) {
            double y = a[1] + 5 + FONT + i * LINE_H;
            String weight = i == 0 ? " font-weight=\"bold\"" : " fill=\"#424242\"";
            if (container) sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\"%s>%s</text>", a[0] + 8, y, FONT, weight, xml(n.lines().get(i))));
            else sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\"%s>%s</text>",
                    a[0] + e.getWidth() / 2, y, FONT, weight, xml(n.lines().get(i))));
        }
        sb.append("</g>\n");
    }

    private static void drawEdge(StringBuilder sb, ElkEdge ee, NetworkModel.Edge e) {
        ElkNode container = ee.getContainingNode();
        double[] o = container == null ? new double[] {0, 0} : abs(container);
        String color = switch (e.style()) {
            case ROUTE -> "#3b73b9";
            case LINK -> "#8a3ab9";
            case ASSOCIATION -> "#757575";
        };
        String dash = switch (e.style()) {
            case ROUTE -> "";
            case LINK -> " stroke-dasharray=\"7,4\"";
            case ASSOCIATION -> " stroke-dasharray=\"2,3\"";
        };
        String markers = switch (e.style()) {
            case ROUTE -> " marker-end=\"url(#arrow)\"";
            case LINK -> " marker-start=\"url(#arrow)\" marker-end=\"url(#arrow)\"";
            case ASSOCIATION -> "";
        };
        sb.append("<g class=\"edge ").append(e.style().name().toLowerCase(Locale.ROOT)).append("\">");
        sb.append("<title>").append(xml(e.from() + " → " + e.to() + (e.label() == null ? "" : ": " + e.label()) + (e.tooltip() == null ? "" : " (" + e.tooltip() + ")"))).append("</title>");
        for (ElkEdgeSection s : ee.getSections()) {
            StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "M%.1f,%.1f", o[0] + s.getStartX(), o[1] + s.getStartY()));
            for (ElkBendPoint b : s.getBendPoints()) d.append(String.format(Locale.ROOT, " L%.1f,%.1f", o[0] + b.getX(), o[1] + b.getY()));
            d.append(String.format(Locale.ROOT, " L%.1f,%.1f", o[0] + s.getEndX(), o[1] + s.getEndY()));
            sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.3\"%s%s/>", d, color, dash, markers));
        }
        for (ElkLabel l : ee.getLabels()) {
            double x = o[0] + l.getX(), y = o[1] + l.getY();
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>", x, y, l.getWidth(), l.getHeight()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"%s\">%s</text>", x + 2, y + EDGE_FONT + 1, EDGE_FONT, color, xml(l.getText())));
        }
        sb.append("</g>\n");
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
