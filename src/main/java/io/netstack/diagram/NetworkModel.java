package io.netstack.diagram;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The network of one or more stacks as nested boxes and links.
 *
 * @param nodes every box, parents before their children
 * @param edges links between boxes (a container may be an end: a peering joins two VPCs)
 */
public record NetworkModel(List<Node> nodes, List<Edge> edges) {

    public enum Kind {
        REGION, VPC, ZONE, SUBNET, GATEWAY, EXTERNAL;

        public boolean container() {
            return this == REGION || this == VPC || this == ZONE;
        }
    }

    public enum Style { ROUTE, LINK, ASSOCIATION }

    /**
     * @param key    unique: {@code stack/id} for a resource, {@code region:…}, {@code …#zone}, {@code ext:…}
     * @param lines  label lines: name first, then what it is (CIDR, type)
     * @param parent the enclosing box's key, null at the top
     */
    public record Node(String key, Kind kind, List<String> lines, String parent, String type) {
        public String title() {
            return lines.get(0);
        }
    }

    /** @param label the destinations of a route, or what a link is ("peering", "VPN office-vpn") */
    public record Edge(String from, String to, String label, Style style, String tooltip) {}

    public List<Node> children(String parent) {
        return nodes.stream().filter(n -> java.util.Objects.equals(n.parent(), parent)).toList();
    }

    public Node node(String key) {
        return nodes.stream().filter(n -> n.key().equals(key)).findFirst().orElse(null);
    }

    private static final Map<String, String> GATEWAY_LABEL = Map.of(
            "internet-gateway", "internet gateway", "egress-only-internet-gateway", "egress-only IGW",
            "vpn-gateway", "virtual private gateway", "nat-gateway", "NAT gateway", "vpc-endpoint", "VPC endpoint",
            "client-vpn-endpoint", "Client VPN endpoint", "transit-gateway", "transit gateway",
            "customer-gateway", "customer gateway", "dx-gateway", "Direct Connect gateway");

    /** Builds the model from validated stacks; references between them (${stack:other/id}) become links. */
    public static NetworkModel of(List<StackFile> stacks) {
        return new Builder(stacks).build();
    }

    private static final class Builder {
        final List<StackFile> stacks;
        final Map<String, Node> nodes = new LinkedHashMap<>();
        final Map<String, Edge> edges = new LinkedHashMap<>();
        final Map<String, ResourceBlock> blocks = new LinkedHashMap<>(); // stack/id → block

        Builder(List<StackFile> stacks) {
            this.stacks = stacks;
            for (StackFile s : stacks) for (ResourceBlock b : s.resources().values()) blocks.put(s.name() + "/" + b.id(), b);
        }

        NetworkModel build() {
            // Containers first (regions, VPCs, zones, subnets), then everything placed in them.
            for (StackFile s : stacks) {
                String region = "region:" + s.region();
                nodes.putIfAbsent(region, new Node(region, Kind.REGION, List.of(s.region()), null, "region"));
                for (ResourceBlock b : s.resources().values()) {
                    if (!b.type().equals("vpc")) continue;
                    List<String> lines = new ArrayList<>(List.of(b.id() + (stacks.size() > 1 ? " (" + s.name() + ")" : ""), "VPC " + text(b, "cidr")));
                    if (b.properties().path("ipv6").asBoolean(false)) lines.add("+ IPv6 /56");
                    add(new Node(key(s, b.id()), Kind.VPC, lines, region, "vpc"));
                }
                List<ResourceBlock> subnets = s.resources().values().stream().filter(b -> b.type().equals("subnet"))
                        .sorted(Comparator.comparing((ResourceBlock b) -> text(b, "zone")).thenComparing(b -> cidrOrder(text(b, "cidr")))).toList();
                for (ResourceBlock b : subnets) {
                    String vpc = resolve(s, text(b, "vpc")).orElse(null);
                    if (vpc == null || !nodes.containsKey(vpc)) vpc = external(s, text(b, "vpc"), "VPC", region);
                    String zone = vpc + "#" + text(b, "zone");
                    nodes.putIfAbsent(zone, new Node(zone, Kind.ZONE, List.of(text(b, "zone")), vpc, "zone"));
                    List<String> lines = new ArrayList<>(List.of(b.id(), text(b, "cidr")));
                    if (b.properties().path("mapPublicIp").asBoolean(false)) lines.add("public IPs");
                    add(new Node(key(s, b.id()), Kind.SUBNET, lines, zone, "subnet"));
                }
            }
            for (StackFile s : stacks) for (ResourceBlock b : s.resources().values()) place(s, b);
            for (StackFile s : stacks) for (ResourceBlock b : s.resources().values()) link(s, b);
            return new NetworkModel(List.copyOf(nodes.values()), List.copyOf(edges.values()));
        }

        void add(Node n) {
            nodes.put(n.key(), n);
        }

        String region(StackFile s) {
            return "region:" + s.region();
        }

        /** Gateways and other boxes that live in a VPC, a zone or the region. */
        void place(StackFile s, ResourceBlock b) {
            String k = key(s, b.id());
            String label = GATEWAY_LABEL.getOrDefault(b.type(), b.type());
            switch (b.type()) {
                case "internet-gateway", "egress-only-internet-gateway", "vpn-gateway" ->
                        add(new Node(k, Kind.GATEWAY, List.of(b.id(), label), vpcOf(s, text(b, "vpc")), b.type()));
                case "nat-gateway" -> {
                    // In its subnet's zone: a NAT gateway is a zonal object.
                    String subnet = resolve(s, text(b, "subnet")).orElse(null);
                    Node sn = subnet == null ? null : nodes.get(subnet);
                    String parent = sn == null ? region(s) : sn.parent();
                    String conn = "private".equals(text(b, "connectivity")) ? "private NAT gateway" : "NAT gateway";
                    add(new Node(k, Kind.GATEWAY, List.of(b.id(), conn, "in " + (sn == null ? text(b, "subnet") : sn.title())), parent, b.type()));
                }
                case "vpc-endpoint" -> {
                    String kind = b.properties().path("kind").asText("gateway");
                    String service = text(b, "service");
                    if (service.contains("${")) service = service.replaceAll("\\$\\{([^}.]*)[^}]*}", "$1");
                    else if (service.contains(".")) service = service.substring(service.lastIndexOf('.') + 1);
                    List<String> lines = new ArrayList<>(List.of(b.id(), kind + " endpoint: " + service));
                    List<String> rts = new ArrayList<>();
                    for (JsonNode rt : b.properties().path("routeTables")) rts.add(Reference.whole(rt.asText()).map(Reference::target).orElse(rt.asText()));
                    if (!rts.isEmpty()) lines.add("routes in " + String.join(", ", rts));
                    add(new Node(k, Kind.GATEWAY, lines, vpcOf(s, text(b, "vpc")), b.type()));
                }
                case "client-vpn-endpoint" -> add(new Node(k, Kind.GATEWAY, List.of(b.id(), label, "clients " + text(b, "clientCidr")),
                        b.properties().hasNonNull("vpc") ? vpcOf(s, text(b, "vpc")) : region(s), b.type()));
                case "transit-gateway" -> add(new Node(k, Kind.EXTERNAL, List.of(b.id(), label), region(s), b.type()));
                case "customer-gateway" -> add(new Node(k, Kind.EXTERNAL, List.of(b.id(), label, text(b, "ip")), null, b.type()));
                case "dx-gateway" -> add(new Node(k, Kind.EXTERNAL, List.of(b.id(), label), null, b.type()));
                case "cloudfront-distribution" -> add(new Node(k, Kind.EXTERNAL, List.of(b.id(), "CloudFront distribution"), null, b.type()));
                default -> { }
            }
        }

        String vpcOf(StackFile s, String ref) {
            String v = resolve(s, ref).orElse(null);
            return v != null && nodes.containsKey(v) ? v : external(s, ref, "VPC", region(s));
        }

        void link(StackFile s, ResourceBlock b) {
            String k = key(s, b.id());
            JsonNode p = b.properties();
            switch (b.type()) {
                case "internet-gateway", "egress-only-internet-gateway" -> edge(k, internet(), b.type().startsWith("egress") ? "IPv6 out" : null, Style.LINK, null);
                case "route-table" -> {
                    Map<String, TreeSet<String>> byTarget = new LinkedHashMap<>();
                    for (JsonNode r : p.path("routes")) {
                        String t = r.path("target").asText(null);
                        if (t == null) continue;
                        String dest = r.path("destination").asText();
                        ResourceBlock tb = block(s, t);
                        String target;
                        if (tb != null && tb.type().equals("vpc-peering")) {
                            // A peering connection is a link, not a box: the route goes to the VPC across it.
                            String mine = vpcOf(s, text(b, "vpc")), a = vpcOf(s, text(tb, "vpc"));
                            target = mine.equals(a) ? vpcOf(s, text(tb, "peerVpc")) : a;
                            dest = dest + " via " + tb.id();
                        } else {
                            target = resolve(s, t).filter(nodes::containsKey).orElseGet(() -> external(s, t, "route target", null));
                        }
                        byTarget.computeIfAbsent(target, x -> new TreeSet<>()).add(dest);
                    }
                    for (JsonNode sub : p.path("subnets")) {
                        String from = resolve(s, sub.asText()).orElse(null);
                        if (from == null || !nodes.containsKey(from)) continue;
                        byTarget.forEach((to, dests) -> edge(from, to, String.join(", ", dests), Style.ROUTE, "route table " + b.id()));
                    }
                }
                case "vpc-endpoint" -> {
                    // A gateway endpoint is a route target of whole route tables (a prefix-list
                    // route in each): named on its box, not drawn from every subnet (a fan of
                    // identical edges that would bury the diagram at 30 subnets).
                    for (JsonNode sub : p.path("subnets")) resolve(s, sub.asText()).filter(nodes::containsKey)
                            .ifPresent(to -> edge(k, to, "ENI", Style.ASSOCIATION, null));
                }
                case "client-vpn-endpoint" -> {
                    for (JsonNode sub : p.path("subnets")) resolve(s, sub.asText()).filter(nodes::containsKey)
                            .ifPresent(to -> edge(k, to, "association", Style.ASSOCIATION, null));
                }
                case "vpc-peering" -> edge(vpcOf(s, text(b, "vpc")), vpcOf(s, text(b, "peerVpc")),
                        "peering " + b.id() + (p.hasNonNull("peerRegion") ? " (" + text(b, "peerRegion") + ")" : ""), Style.LINK, null);
                case "transit-gateway-attachment" -> edge(vpcOf(s, text(b, "vpc")), endpoint(s, text(b, "transitGateway"), "transit gateway"),
                        "attachment " + b.id(), Style.LINK, null);
                case "transit-gateway-peering" -> edge(endpoint(s, text(b, "transitGateway"), "transit gateway"),
                        endpoint(s, text(b, "peerTransitGateway"), "transit gateway"), "TGW peering " + b.id(), Style.LINK, null);
                case "vpn-connection" -> {
                    String aws = p.hasNonNull("vpnGateway") ? endpoint(s, text(b, "vpnGateway"), "VPN gateway") : endpoint(s, text(b, "transitGateway"), "transit gateway");
                    edge(aws, endpoint(s, text(b, "customerGateway"), "customer gateway"), "VPN " + b.id(), Style.LINK, null);
                }
                case "dx-gateway-association" -> edge(endpoint(s, text(b, "gateway"), "gateway"), endpoint(s, text(b, "dxGateway"), "DX gateway"),
                        "DX association", Style.LINK, null);
                case "dx-virtual-interface" -> {
                    String gw = p.hasNonNull("dxGateway") ? endpoint(s, text(b, "dxGateway"), "DX gateway") : endpoint(s, text(b, "vpnGateway"), "VPN gateway");
                    String conn = external(s, text(b, "connection"), "Direct Connect connection", null);
                    edge(gw, conn, text(b, "kind") + " VIF " + b.id() + ", VLAN " + text(b, "vlan"), Style.LINK, null);
                }
                default -> { }
            }
        }

        String internet() {
            nodes.putIfAbsent("ext:internet", new Node("ext:internet", Kind.EXTERNAL, List.of("Internet"), null, "internet"));
            return "ext:internet";
        }

        /** A reference that is a node, or an external box for a literal id / another stack's object not drawn. */
        String endpoint(StackFile s, String ref, String what) {
            return resolve(s, ref).filter(nodes::containsKey).orElseGet(() -> external(s, ref, what, null));
        }

        String external(StackFile s, String ref, String what, String parent) {
            String shown = ref == null ? "?" : Reference.whole(ref).map(r -> r.kind() == Reference.Kind.STACK ? r.stack() + "/" + r.target() : r.target()).orElse(ref);
            String k = "ext:" + shown;
            nodes.putIfAbsent(k, new Node(k, Kind.EXTERNAL, List.of(shown, what), parent, "external"));
            return k;
        }

        Optional<String> resolve(StackFile s, String ref) {
            return Reference.whole(ref).flatMap(r -> switch (r.kind()) {
                case RESOURCE -> Optional.of(key(s.name(), r.target()));
                case STACK -> Optional.of(key(r.stack(), r.target()));
                default -> Optional.empty();
            });
        }

        ResourceBlock block(StackFile s, String ref) {
            return resolve(s, ref).map(blocks::get).orElse(null);
        }

        void edge(String from, String to, String label, Style style, String tooltip) {
            String id = from + "->" + to + ":" + label;
            Edge prev = edges.get(id);
            if (prev != null && tooltip != null && prev.tooltip() != null && !prev.tooltip().contains(tooltip))
                tooltip = prev.tooltip() + ", " + tooltip;
            edges.put(id, new Edge(from, to, label, style, tooltip));
        }
    }

    static String key(StackFile s, String id) {
        return key(s.name(), id);
    }

    static String key(String stack, String id) {
        return stack + "/" + id;
    }

    private static String text(ResourceBlock b, String prop) {
        JsonNode v = b.properties().get(prop);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** Subnets in address order, not text order (10.0.2.0 before 10.0.10.0). */
    private static String cidrOrder(String cidr) {
        String[] parts = cidr.split("[./]");
        StringBuilder sb = new StringBuilder();
        for (String p : parts) sb.append(String.format("%5s", p));
        return sb.toString();
    }
}
