package io.netstack.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.LiveState;
import io.netstack.spi.LiveResource;
import io.netstack.stack.Cidr;
import io.netstack.stack.JsonTexts;
import io.netstack.stack.Location;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared network of one or more validated stack files, as plain records. References
 * ({@code ${id}}, {@code ${stack:other/id}}) become {@link Key}s; literal AWS ids of resources
 * netstack does not manage stay unresolved ({@code null} key) and the rules treat them as unknown.
 * Resource types that carry no traffic rules (CloudFront, Direct Connect, …) are not modelled.
 * {@link #live} builds the same model from what AWS has now (issue 15).
 */
public final class NetworkModel {
    /** A resource across stacks: its stack's name and its logical id. */
    public record Key(String stack, String id) {
        @Override
        public String toString() {
            return id;
        }

        public String qualified() {
            return stack + "/" + id;
        }
    }

    /** Where a modelled thing is written: its file and JSON Pointer, for {@code file:line:col}. */
    public record Src(StackFile stack, String pointer) {
        public Location location() {
            // A live-only object (no block in the file) has no place to point at.
            return pointer == null ? null : stack.locate(pointer);
        }
    }

    public record Vpc(Key key, List<Cidr> cidrs, boolean ipv6, boolean dnsSupport, boolean dnsHostnames,
                      JsonNode defaultSecurityGroup, Src src) {}

    public record Subnet(Key key, Key vpc, Cidr cidr, boolean ipv6, String zone, boolean mapPublicIp, Src src) {}

    /** {@code target} is null for a literal AWS id; {@code cidr} null for a prefix list. */
    public record Route(String destination, Cidr cidr, Key target, String targetText, Src src) {}

    public record RouteTable(Key key, Key vpc, List<Key> subnets, List<Route> routes, Src src) {}

    /** internet-gateway, egress-only-internet-gateway, nat-gateway, vpn-gateway, vpc-endpoint. */
    public record Gateway(Key key, String type, Key vpc, Key subnet, boolean publicNat, Src src) {}

    public record Peering(Key key, Key vpc, Key peerVpc, boolean dnsResolution, Src src) {}

    /** One security group rule: the peer is a CIDR, or another group ({@code group}), or {@code other} (pl-…, literal sg-…). */
    public record SgRule(String protocol, Ports ports, Cidr cidr, Key group, String peerText, Src src) {}

    /** {@code egress} is null when the file omits it: AWS's default allow-all egress rule. */
    public record SecurityGroup(Key key, Key vpc, List<SgRule> ingress, List<SgRule> egress, Src src) {}

    public record NaclEntry(int rule, String protocol, Ports ports, Cidr cidr, boolean allow, Src src) {}

    /** Entries sorted by rule number: NACLs evaluate the lowest number first. */
    public record Nacl(Key key, Key vpc, List<Key> subnets, List<NaclEntry> ingress, List<NaclEntry> egress, Src src) {}

    public record FlowLog(Key key, Key resource, Src src) {}

    public record TgwAttachment(Key key, Key transitGateway, Key vpc, Src src) {}

    public record TgwRouteTable(Key key, Key transitGateway, List<Key> associations, List<Key> propagations, Src src) {}

    final Map<Key, Vpc> vpcs = new LinkedHashMap<>();
    final Map<Key, Subnet> subnets = new LinkedHashMap<>();
    final Map<Key, RouteTable> routeTables = new LinkedHashMap<>();
    final Map<Key, Gateway> gateways = new LinkedHashMap<>();
    final Map<Key, Peering> peerings = new LinkedHashMap<>();
    final Map<Key, SecurityGroup> securityGroups = new LinkedHashMap<>();
    final Map<Key, Nacl> nacls = new LinkedHashMap<>();
    final Map<Key, FlowLog> flowLogs = new LinkedHashMap<>();
    final Map<Key, TgwAttachment> tgwAttachments = new LinkedHashMap<>();
    final Map<Key, TgwRouteTable> tgwRouteTables = new LinkedHashMap<>();
    final Map<Key, String> types = new LinkedHashMap<>();
    final Map<Key, Src> sources = new LinkedHashMap<>();
    final List<StackFile> stacks = new ArrayList<>();
    /** Live model only: how a route, rule or NACL entry (by identity) or a resource differs from its file. */
    final Map<Object, String> liveNotes = new java.util.IdentityHashMap<>();
    final Map<Key, String> tableNotes = new LinkedHashMap<>();
    private boolean live;

    private NetworkModel() {}

    /**
     * Builds the model from what AWS has now: each stack's owned objects in their block shape
     * ({@link LiveState#logical}), AWS ids of objects owned by another of the given stacks turned
     * into {@code ${stack:other/id}}. Locations point at the object's block (or the matching
     * route / rule / entry) in the file when it has one; what differs from the file is noted.
     */
    public static NetworkModel live(List<StackFile> stacks, Map<String, LiveState> state) {
        NetworkModel m = new NetworkModel();
        m.live = true;
        Map<String, String> crossStack = new java.util.HashMap<>();
        for (StackFile s : stacks) {
            LiveState ls = state.get(s.name());
            if (ls != null) for (LiveResource r : ls.byId().values()) crossStack.putIfAbsent(r.awsId(), "${stack:" + s.name() + "/" + r.id() + "}");
        }
        for (StackFile s : stacks) {
            m.stacks.add(s);
            LiveState ls = state.get(s.name());
            if (ls == null) continue;
            for (LiveResource r : ls.byId().values()) {
                ResourceBlock file = s.resources().get(r.id());
                ObjectNode p = (ObjectNode) JsonTexts.replace(ls.logical(r), crossStack::get);
                m.add(s, new ResourceBlock(r.id(), r.type(), p, file != null && file.type().equals(r.type()) ? file.pointer() : null));
            }
        }
        m.fixNatVpcs();
        return m;
    }

    public boolean isLive() {
        return live;
    }

    /** Live model: how the route, rule or entry differs from the file (e.g. "not in the file"), else null. */
    public String liveNote(Object routeRuleOrEntry) {
        return liveNotes.get(routeRuleOrEntry);
    }

    /** Live model: the file's routes of the table that AWS does not have, else null. */
    public String tableNote(Key table) {
        return table == null ? null : tableNotes.get(table);
    }

    /** Builds the model of validated stacks (no AWS call). */
    public static NetworkModel of(List<StackFile> stacks) {
        NetworkModel m = new NetworkModel();
        for (StackFile s : stacks) {
            m.stacks.add(s);
            for (ResourceBlock b : s.resources().values()) m.add(s, b);
        }
        m.fixNatVpcs();
        return m;
    }

    private void fixNatVpcs() {
        // A NAT gateway may be declared before its subnet: its VPC is known once all is read.
        gateways.replaceAll((k, g) -> g.type().equals("nat-gateway") && g.vpc() == null && subnets.containsKey(g.subnet())
                ? new Gateway(k, g.type(), subnets.get(g.subnet()).vpc(), g.subnet(), g.publicNat(), g.src()) : g);
    }

    /**
     * Where item {@code i} of the block's list {@code prop} is written. Offline: that item. Live:
     * the file's item with the same {@code match} field (whole-item equality when null), else the
     * block; {@code note} receives how the live item differs from the file's, or null.
     */
    private Src itemSrc(StackFile s, ResourceBlock b, String prop, int i, JsonNode item, String match, String[] note) {
        note[0] = null;
        if (!live) return new Src(s, b.pointer(prop) + "/" + i);
        ResourceBlock file = b.pointer() == null ? null : s.resources().get(b.id());
        JsonNode declared = file == null ? null : file.properties().get(prop);
        if (declared != null) for (int j = 0; j < declared.size(); j++) {
            JsonNode d = declared.get(j);
            boolean same = match == null ? d.equals(item) : d.path(match).equals(item.path(match));
            if (!same) continue;
            if (!d.equals(item)) note[0] = "live: " + d + " in the file is " + item + " in AWS";
            return new Src(s, file.pointer(prop) + "/" + j);
        }
        note[0] = "live: not in the file";
        return new Src(s, file == null ? null : file.pointer());
    }

    public List<StackFile> stacks() {
        return stacks;
    }

    public Collection<Vpc> vpcs() {
        return vpcs.values();
    }

    public Collection<Subnet> subnets() {
        return subnets.values();
    }

    public Collection<RouteTable> routeTables() {
        return routeTables.values();
    }

    public Collection<SecurityGroup> securityGroups() {
        return securityGroups.values();
    }

    public Collection<Nacl> nacls() {
        return nacls.values();
    }

    public Optional<String> type(Key k) {
        return Optional.ofNullable(k == null ? null : types.get(k));
    }

    public Optional<Src> source(Key k) {
        return Optional.ofNullable(k == null ? null : sources.get(k));
    }

    public Optional<Subnet> subnet(Key k) {
        return Optional.ofNullable(k == null ? null : subnets.get(k));
    }

    public Optional<Gateway> gateway(Key k) {
        return Optional.ofNullable(k == null ? null : gateways.get(k));
    }

    /** The route table associated with the subnet, if the files declare one (else the VPC's main table: local routes only). */
    public Optional<RouteTable> routeTableOf(Key subnet) {
        return routeTables.values().stream().filter(t -> t.subnets().contains(subnet)).findFirst();
    }

    /** The NACL associated with the subnet, if declared (else the VPC's default NACL, which allows everything). */
    public Optional<Nacl> naclOf(Key subnet) {
        return nacls.values().stream().filter(n -> n.subnets().contains(subnet)).findFirst();
    }

    public List<Subnet> subnetsOf(Key vpc) {
        return vpc == null ? List.of() : subnets.values().stream().filter(s -> vpc.equals(s.vpc())).toList();
    }

    /**
     * Whether the route goes to an internet gateway attached to the table's VPC; a literal
     * {@code igw-…} id (a gateway the files do not manage) is taken at its word.
     */
    public boolean isInternetGatewayRoute(RouteTable t, Route r) {
        if (r.target() == null) return r.targetText() != null && r.targetText().startsWith("igw-");
        Gateway g = gateways.get(r.target());
        return g != null && g.type().equals("internet-gateway") && t.vpc() != null && t.vpc().equals(g.vpc());
    }

    /** The routes of the subnet's table to an attached internet gateway (IPv4 or IPv6 defaults or narrower). */
    public List<Route> internetRoutes(Key subnet, boolean ipv6) {
        return routeTableOf(subnet).map(t -> t.routes().stream()
                .filter(r -> r.cidr() != null && r.cidr().ipv6() == ipv6 && isInternetGatewayRoute(t, r)).toList()).orElse(List.of());
    }

    /** Longest-prefix match of {@code dest} in the table: the route whose destination contains all of it. */
    public static Optional<Route> lookup(RouteTable t, Cidr dest) {
        Route best = null;
        if (t != null) {
            for (Route r : t.routes()) {
                if (r.cidr() != null && r.cidr().contains(dest) && (best == null || r.cidr().prefix() > best.cidr().prefix())) best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Resolves a reference text to a key; null for literals and attributes of other kinds. */
    static Key key(StackFile s, String text) {
        if (text == null) return null;
        return Reference.whole(text).map(r -> switch (r.kind()) {
            case RESOURCE -> new Key(s.name(), r.target());
            case STACK -> new Key(r.stack(), r.target());
            default -> null;
        }).orElse(null);
    }

    private static Cidr cidr(String text) {
        try {
            return text == null ? null : Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<Key> keys(StackFile s, JsonNode arr) {
        List<Key> out = new ArrayList<>();
        if (arr != null) for (JsonNode n : arr) {
            Key k = key(s, n.asText(null));
            if (k != null) out.add(k);
        }
        return out;
    }

    private void add(StackFile s, ResourceBlock b) {
        Key k = new Key(s.name(), b.id());
        JsonNode p = b.properties();
        Src src = new Src(s, b.pointer());
        types.put(k, b.type());
        sources.put(k, src);
        switch (b.type()) {
            case "vpc" -> {
                List<Cidr> cidrs = new ArrayList<>();
                Cidr main = cidr(p.path("cidr").asText(null));
                if (main != null) cidrs.add(main);
                for (JsonNode c : p.path("secondaryCidrs")) {
                    Cidr x = cidr(c.asText(null));
                    if (x != null) cidrs.add(x);
                }
                // AWS defaults for a new VPC: DNS support on, DNS hostnames off.
                vpcs.put(k, new Vpc(k, cidrs, p.path("ipv6").asBoolean(false), p.path("dnsSupport").asBoolean(true),
                        p.path("dnsHostnames").asBoolean(false), p.get("defaultSecurityGroup"), src));
            }
            case "subnet" -> subnets.put(k, new Subnet(k, key(s, p.path("vpc").asText(null)), cidr(p.path("cidr").asText(null)),
                    p.has("ipv6Index"), p.path("zone").asText(null), p.path("mapPublicIp").asBoolean(false), src));
            case "route-table" -> {
                List<Route> routes = new ArrayList<>();
                JsonNode rs = p.path("routes");
                for (int i = 0; i < rs.size(); i++) {
                    JsonNode r = rs.get(i);
                    String dest = r.path("destination").asText(null);
                    String target = r.path("target").asText(null);
                    String[] note = new String[1];
                    Src at = itemSrc(s, b, "routes", i, r, "destination", note);
                    Route route = new Route(dest, cidr(dest), key(s, target), target, at);
                    if (note[0] != null) liveNotes.put(route, note[0].equals("live: not in the file")
                            ? "live: route " + dest + " → " + target + " (not in the file)"
                            : "live: route " + dest + " → " + target + " (the file says → " + declaredTarget(s, b, dest) + ")");
                    routes.add(route);
                }
                if (live) missingRoutes(s, k, b, rs);
                routeTables.put(k, new RouteTable(k, key(s, p.path("vpc").asText(null)), keys(s, p.get("subnets")), routes, src));
            }
            case "internet-gateway", "egress-only-internet-gateway", "vpn-gateway" ->
                    gateways.put(k, new Gateway(k, b.type(), key(s, p.path("vpc").asText(null)), null, false, src));
            case "nat-gateway" -> {
                Key subnet = key(s, p.path("subnet").asText(null));
                Subnet sn = subnets.get(subnet);
                gateways.put(k, new Gateway(k, b.type(), sn == null ? null : sn.vpc(), subnet,
                        !p.path("connectivity").asText("public").equals("private"), src));
            }
            case "vpc-endpoint" -> gateways.put(k, new Gateway(k, b.type(), key(s, p.path("vpc").asText(null)), null, false, src));
            case "vpc-peering" -> peerings.put(k, new Peering(k, key(s, p.path("vpc").asText(null)), key(s, p.path("peerVpc").asText(null)),
                    p.path("dnsResolution").asBoolean(false), src));
            case "security-group" -> securityGroups.put(k, new SecurityGroup(k, key(s, p.path("vpc").asText(null)),
                    sgRules(s, b, "ingress", "from"),
                    p.has("egress") ? sgRules(s, b, "egress", "to") : null, src));
            case "network-acl" -> nacls.put(k, new Nacl(k, key(s, p.path("vpc").asText(null)), keys(s, p.get("subnets")),
                    naclEntries(s, b, "ingress"), naclEntries(s, b, "egress"), src));
            case "flow-log" -> flowLogs.put(k, new FlowLog(k, key(s, p.path("resource").asText(null)), src));
            case "transit-gateway-attachment" -> tgwAttachments.put(k, new TgwAttachment(k, key(s, p.path("transitGateway").asText(null)),
                    key(s, p.path("vpc").asText(null)), src));
            case "transit-gateway-route-table" -> tgwRouteTables.put(k, new TgwRouteTable(k, key(s, p.path("transitGateway").asText(null)),
                    keys(s, p.get("associations")), keys(s, p.get("propagations")), src));
            default -> { }
        }
    }

    private static String declaredTarget(StackFile s, ResourceBlock b, String dest) {
        ResourceBlock f = s.resources().get(b.id());
        if (f != null) for (JsonNode r : f.properties().path("routes")) {
            if (dest != null && dest.equals(r.path("destination").asText(null))) return r.path("target").asText();
        }
        return "?";
    }

    /** Live: the routes the file declares for the table that AWS does not have (deleted by hand, say). */
    private void missingRoutes(StackFile s, Key k, ResourceBlock b, JsonNode liveRoutes) {
        ResourceBlock f = b.pointer() == null ? null : s.resources().get(b.id());
        if (f == null) return;
        List<String> missing = new ArrayList<>();
        for (JsonNode d : f.properties().path("routes")) {
            String dest = d.path("destination").asText(null);
            boolean found = false;
            for (JsonNode r : liveRoutes) found |= dest != null && dest.equals(r.path("destination").asText(null));
            if (!found) missing.add(dest + " → " + d.path("target").asText());
        }
        if (!missing.isEmpty()) tableNotes.put(k, "live: the file's route" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " not in AWS");
    }

    private List<SgRule> sgRules(StackFile s, ResourceBlock b, String prop, String peerKey) {
        JsonNode arr = b.properties().get(prop);
        List<SgRule> out = new ArrayList<>();
        if (arr != null) for (int i = 0; i < arr.size(); i++) {
            JsonNode r = arr.get(i);
            String proto = Protocols.canonical(r.path("protocol").asText("all"));
            String peer = r.path(peerKey).asText(null);
            Ports ports = Protocols.hasPorts(proto) ? Ports.parse(r.path("ports").asText("all")) : Ports.ALL;
            String[] note = new String[1];
            SgRule rule = new SgRule(proto, ports, cidr(peer), key(s, peer), peer, itemSrc(s, b, prop, i, r, null, note));
            if (note[0] != null) liveNotes.put(rule, note[0]);
            out.add(rule);
        }
        return out;
    }

    private List<NaclEntry> naclEntries(StackFile s, ResourceBlock b, String prop) {
        JsonNode arr = b.properties().get(prop);
        List<NaclEntry> out = new ArrayList<>();
        if (arr != null) for (int i = 0; i < arr.size(); i++) {
            JsonNode r = arr.get(i);
            String proto = Protocols.canonical(r.path("protocol").asText("all"));
            Ports ports = Protocols.hasPorts(proto) ? Ports.parse(r.path("ports").asText("all")) : Ports.ALL;
            String[] note = new String[1];
            NaclEntry e = new NaclEntry(r.path("rule").asInt(), proto, ports, cidr(r.path("cidr").asText(null)),
                    r.path("action").asText("allow").equals("allow"), itemSrc(s, b, prop, i, r, "rule", note));
            if (note[0] != null) liveNotes.put(e, note[0]);
            out.add(e);
        }
        out.sort(java.util.Comparator.comparingInt(NaclEntry::rule));
        return out;
    }
}
