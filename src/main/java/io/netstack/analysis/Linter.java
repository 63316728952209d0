package io.netstack.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.analysis.NetworkModel.Gateway;
import io.netstack.analysis.NetworkModel.Key;
import io.netstack.analysis.NetworkModel.Nacl;
import io.netstack.analysis.NetworkModel.NaclEntry;
import io.netstack.analysis.NetworkModel.Peering;
import io.netstack.analysis.NetworkModel.Route;
import io.netstack.analysis.NetworkModel.RouteTable;
import io.netstack.analysis.NetworkModel.SecurityGroup;
import io.netstack.analysis.NetworkModel.SgRule;
import io.netstack.analysis.NetworkModel.Src;
import io.netstack.analysis.NetworkModel.Subnet;
import io.netstack.analysis.NetworkModel.TgwAttachment;
import io.netstack.analysis.NetworkModel.TgwRouteTable;
import io.netstack.analysis.NetworkModel.Vpc;
import io.netstack.stack.Cidr;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every rule of {@link Rules} over a {@link NetworkModel}. Rules that are about exposure
 * follow the paths the files declare (route tables, gateways, NACLs), not one attribute at a
 * time: an SSH rule open to the world is only a finding where a route to the internet exists.
 */
public final class Linter {
    /** Admin and database ports (CIS AWS Foundations 5.2 names 22 and 3389; the rest are common database ports). */
    static final Map<Integer, String> ADMIN_PORTS = new java.util.TreeMap<>(Map.of(22, "SSH", 3389, "RDP", 3306, "MySQL", 5432, "PostgreSQL",
            1433, "SQL Server", 1521, "Oracle", 27017, "MongoDB", 6379, "Redis", 9200, "Elasticsearch", 11211, "Memcached"));
    private static final Cidr ANY_V4 = Cidr.parse("0.0.0.0/0");
    private static final Cidr ANY_V6 = Cidr.parse("::/0");

    private final NetworkModel m;
    private final List<Finding> out = new ArrayList<>();

    private Linter(NetworkModel m) {
        this.m = m;
    }

    /** The findings in file order; those silenced by a {@code lintIgnore} entry are left out. */
    public static List<Finding> lint(NetworkModel m) {
        Linter l = new Linter(m);
        l.exposure();
        l.publicIpWithoutRoute();
        l.natWithoutRoute();
        l.crossZoneNat();
        l.naclReplies();
        l.blackholes();
        l.overlaps();
        l.peeringDns();
        l.flowLogs();
        l.defaultSecurityGroups();
        l.unrestrictedEgress();
        l.shadowedNaclRules();
        List<LintIgnore> ignores = LintIgnore.read(m.stacks());
        return l.out.stream()
                .filter(f -> ignores.stream().noneMatch(i -> i.silences(f)))
                .sorted(java.util.Comparator.comparing((Finding f) -> f.location().file())
                        .thenComparingInt(f -> f.location().line()).thenComparingInt(f -> f.location().column())
                        .thenComparing(f -> f.rule().id()))
                .toList();
    }

    private void add(Rules.Rule rule, Key id, String message, Src where) {
        out.add(new Finding(rule, id.id(), message, where.location()));
    }

    private static String ports(SgRule r) {
        return r.protocol() + (Protocols.hasPorts(r.protocol()) ? "/" + r.ports() : "");
    }

    // NS101: an admin port open to the world, and a real way in: an internet route and a NACL that admits it.
    private void exposure() {
        for (SecurityGroup sg : m.securityGroups()) {
            for (SgRule r : sg.ingress()) {
                if (r.cidr() == null || !(r.cidr().equals(ANY_V4) || r.cidr().equals(ANY_V6))) continue;
                if (!Protocols.matches(r.protocol(), "tcp")) continue;
                List<String> names = ADMIN_PORTS.entrySet().stream().filter(e -> r.ports().contains(e.getKey()))
                        .map(e -> e.getValue() + " " + e.getKey()).toList();
                if (names.isEmpty()) continue;
                int port = ADMIN_PORTS.keySet().stream().filter(p -> r.ports().contains(p)).findFirst().orElseThrow();
                List<String> open = new ArrayList<>();
                for (Subnet s : m.subnetsOf(sg.vpc())) {
                    if (m.internetRoutes(s.key(), r.cidr().ipv6()).isEmpty()) continue;
                    boolean naclAdmits = m.naclOf(s.key())
                            .map(n -> Nacls.evaluate(n.ingress(), "tcp", new Ports(port, port), r.cidr()).allowed()).orElse(true);
                    if (naclAdmits) open.add(s.key().id());
                }
                if (open.isEmpty()) continue;
                add(Rules.ADMIN_PORT_EXPOSED, sg.key(), "security group " + sg.key() + " allows " + ports(r) + " (" + String.join(", ", names)
                        + ") from " + r.cidr() + ", and subnet" + (open.size() > 1 ? "s " : " ") + String.join(", ", open)
                        + " of its VPC route" + (open.size() > 1 ? "" : "s") + " to an internet gateway with a NACL that lets it in", r.src());
            }
        }
    }

    // NS102
    private void publicIpWithoutRoute() {
        for (Subnet s : m.subnets()) {
            if (!s.mapPublicIp() || !m.internetRoutes(s.key(), false).isEmpty()) continue;
            String table = m.routeTableOf(s.key()).map(t -> "its route table " + t.key()).orElse("the VPC's main route table (no table in the file lists it)");
            add(Rules.PUBLIC_IP_WITHOUT_IGW, s.key(), "subnet " + s.key() + " gives instances public IPv4 addresses (mapPublicIp) but "
                    + table + " has no route to an internet gateway", m.source(s.key()).orElseThrow());
        }
    }

    // NS201
    private void natWithoutRoute() {
        for (Gateway g : m.gateways.values()) {
            if (!g.type().equals("nat-gateway") || !g.publicNat() || m.subnet(g.subnet()).isEmpty()) continue;
            RouteTable t = m.routeTableOf(g.subnet()).orElse(null);
            boolean ok = NetworkModel.lookup(t, ANY_V4).filter(r -> m.isInternetGatewayRoute(t, r)).isPresent();
            if (!ok) add(Rules.NAT_WITHOUT_IGW, g.key(), "NAT gateway " + g.key() + " is in subnet " + g.subnet() + ", whose "
                    + (t == null ? "main route table" : "route table " + t.key()) + " has no 0.0.0.0/0 route to an internet gateway", g.src());
        }
    }

    // NS202
    private void crossZoneNat() {
        for (RouteTable t : m.routeTables()) {
            for (Route r : t.routes()) {
                Gateway g = m.gateways.get(r.target());
                if (g == null || !g.type().equals("nat-gateway")) continue;
                Subnet natSubnet = m.subnets.get(g.subnet());
                if (natSubnet == null || natSubnet.zone() == null) continue;
                List<String> other = t.subnets().stream().map(m.subnets::get)
                        .filter(s -> s != null && s.zone() != null && !s.zone().equals(natSubnet.zone()))
                        .map(s -> s.key().id() + " (" + s.zone() + ")").toList();
                if (!other.isEmpty()) add(Rules.CROSS_ZONE_NAT, t.key(), "route table " + t.key() + " sends " + r.destination() + " to NAT gateway "
                        + g.key() + " in " + natSubnet.zone() + " from subnet" + (other.size() > 1 ? "s " : " ") + String.join(", ", other), r.src());
            }
        }
    }

    // NS203: a service allowed one way whose replies the other direction denies.
    private void naclReplies() {
        for (Nacl n : m.nacls()) {
            replies(n, n.ingress(), n.egress(), "in from", "out to");
            replies(n, n.egress(), n.ingress(), "out to", "in from");
        }
    }

    private void replies(Nacl n, List<NaclEntry> service, List<NaclEntry> reply, String serviceDir, String replyDir) {
        for (NaclEntry e : service) {
            if (!e.allow() || !Protocols.hasPorts(e.protocol()) || e.cidr() == null || e.ports().overlaps(Ports.EPHEMERAL)) continue;
            // An entry an earlier deny hides is NS304's business, not a service.
            if (!Nacls.evaluate(service, e.protocol(), new Ports(e.ports().from(), e.ports().from()), e.cidr()).allowed()) continue;
            Nacls.Verdict v = Nacls.evaluate(reply, e.protocol(), Ports.EPHEMERAL, e.cidr());
            if (v.allowed()) continue;
            add(Rules.NACL_REPLY_BLOCKED, n.key(), "network ACL " + n.key() + " allows " + e.protocol() + "/" + e.ports() + " " + serviceDir + " "
                    + e.cidr() + " (rule " + e.rule() + ") but its replies " + replyDir + " " + e.cidr() + " on ports " + Ports.EPHEMERAL + " are "
                    + v.describe(), e.src());
        }
    }

    // NS204
    private void blackholes() {
        for (RouteTable t : m.routeTables()) {
            if (t.vpc() == null) continue;
            for (Route r : t.routes()) {
                String why = blackhole(t, r);
                if (why != null) add(Rules.BLACKHOLE_ROUTE, t.key(), "route table " + t.key() + ": route " + r.destination() + " → "
                        + r.target() + " is a blackhole: " + why, r.src());
            }
        }
    }

    private String blackhole(RouteTable t, Route r) {
        Key target = r.target();
        String type = m.type(target).orElse(null);
        if (type == null) return null;
        Gateway g = m.gateways.get(target);
        if (g != null) {
            if (g.vpc() == null) return type.equals("internet-gateway") || type.equals("vpn-gateway") ? type + " " + target + " is not attached to a VPC" : null;
            return g.vpc().equals(t.vpc()) ? null : type + " " + target + " belongs to VPC " + g.vpc() + ", not " + t.vpc();
        }
        Peering p = m.peerings.get(target);
        if (p != null) {
            return t.vpc().equals(p.vpc()) || t.vpc().equals(p.peerVpc()) ? null
                    : "peering " + target + " connects " + p.vpc() + " and " + p.peerVpc() + ", not " + t.vpc();
        }
        if (type.equals("transit-gateway")) {
            boolean attached = m.tgwAttachments.values().stream().anyMatch(a -> target.equals(a.transitGateway()) && t.vpc().equals(a.vpc()));
            return attached ? null : "VPC " + t.vpc() + " has no attachment to transit gateway " + target;
        }
        return null;
    }

    // NS205
    private void overlaps() {
        for (Peering p : m.peerings.values()) {
            Vpc a = m.vpcs.get(p.vpc()), b = m.vpcs.get(p.peerVpc());
            String o = overlap(a, b);
            if (o != null) add(Rules.OVERLAPPING_CIDRS, p.key(), "peering " + p.key() + " connects VPCs with overlapping CIDR blocks: " + o, p.src());
        }
        for (TgwRouteTable t : m.tgwRouteTables.values()) {
            Set<Key> atts = new LinkedHashSet<>(t.associations());
            atts.addAll(t.propagations());
            List<Vpc> vpcs = atts.stream().map(m.tgwAttachments::get).filter(a -> a != null && a.vpc() != null)
                    .map(TgwAttachment::vpc).distinct().map(m.vpcs::get).filter(v -> v != null).toList();
            for (int i = 0; i < vpcs.size(); i++) {
                for (int j = i + 1; j < vpcs.size(); j++) {
                    String o = overlap(vpcs.get(i), vpcs.get(j));
                    if (o != null) add(Rules.OVERLAPPING_CIDRS, t.key(), "transit gateway route table " + t.key()
                            + " connects VPCs with overlapping CIDR blocks: " + o, t.src());
                }
            }
        }
    }

    private static String overlap(Vpc a, Vpc b) {
        if (a == null || b == null) return null;
        for (Cidr x : a.cidrs()) {
            for (Cidr y : b.cidrs()) {
                if (x.overlaps(y)) return a.key() + " " + x + " and " + b.key() + " " + y;
            }
        }
        return null;
    }

    // NS206
    private void peeringDns() {
        for (Peering p : m.peerings.values()) {
            if (!p.dnsResolution()) continue;
            List<String> missing = new ArrayList<>();
            for (Key k : List.of(p.vpc(), p.peerVpc())) {
                Vpc v = m.vpcs.get(k);
                if (v != null && !(v.dnsHostnames() && v.dnsSupport())) missing.add(k.id());
            }
            if (!missing.isEmpty()) add(Rules.PEERING_DNS, p.key(), "peering " + p.key() + " enables dnsResolution but VPC "
                    + String.join(" and ", missing) + " lack" + (missing.size() > 1 ? "" : "s")
                    + " dnsHostnames/dnsSupport, which AWS needs on both sides to answer with private IPs", p.src());
        }
    }

    // NS301
    private void flowLogs() {
        Set<Key> logged = m.flowLogs.values().stream().map(NetworkModel.FlowLog::resource).collect(Collectors.toSet());
        for (Vpc v : m.vpcs()) {
            List<Subnet> subs = m.subnetsOf(v.key());
            boolean allSubnets = !subs.isEmpty() && subs.stream().allMatch(s -> logged.contains(s.key()));
            if (!logged.contains(v.key()) && !allSubnets) add(Rules.NO_FLOW_LOGS, v.key(), "VPC " + v.key() + " has no flow log", v.src());
        }
    }

    // NS302
    private void defaultSecurityGroups() {
        for (Vpc v : m.vpcs()) {
            JsonNode d = v.defaultSecurityGroup();
            if (d == null) {
                add(Rules.DEFAULT_SG_OPEN, v.key(), "VPC " + v.key() + " leaves its default security group as AWS creates it (all traffic between members, all egress); "
                        + "add \"defaultSecurityGroup\": {} to empty it", v.src());
            } else if (d.path("ingress").size() > 0 || d.path("egress").size() > 0) {
                add(Rules.DEFAULT_SG_OPEN, v.key(), "VPC " + v.key() + "'s default security group keeps " + d.path("ingress").size() + " ingress and "
                        + d.path("egress").size() + " egress rules", new Src(v.src().stack(), v.src().pointer() + "/defaultSecurityGroup"));
            }
        }
    }

    // NS303
    private void unrestrictedEgress() {
        for (StackFile s : m.stacks()) {
            List<SecurityGroup> groups = m.securityGroups().stream().filter(g -> g.key().stack().equals(s.name())).toList();
            List<SecurityGroup> restricted = groups.stream().filter(g -> g.egress() != null && g.egress().stream().noneMatch(Linter::allToWorld)).toList();
            if (restricted.isEmpty()) continue;
            for (SecurityGroup g : groups) {
                if (g.egress() == null) {
                    add(Rules.UNRESTRICTED_EGRESS, g.key(), "security group " + g.key() + " has no egress list, so AWS allows all egress, while "
                            + names(restricted) + " restrict" + (restricted.size() > 1 ? "" : "s") + " theirs", g.src());
                } else {
                    g.egress().stream().filter(Linter::allToWorld).forEach(r -> add(Rules.UNRESTRICTED_EGRESS, g.key(), "security group " + g.key()
                            + " allows all egress to " + r.cidr() + ", while " + names(restricted) + " restrict" + (restricted.size() > 1 ? "" : "s") + " theirs", r.src()));
                }
            }
        }
    }

    private static boolean allToWorld(SgRule r) {
        return r.protocol().equals("all") && r.cidr() != null && r.cidr().prefix() == 0;
    }

    private static String names(List<SecurityGroup> groups) {
        return groups.stream().map(g -> g.key().id()).limit(3).collect(Collectors.joining(", ")) + (groups.size() > 3 ? ", …" : "");
    }

    // NS304
    private void shadowedNaclRules() {
        for (Nacl n : m.nacls()) {
            shadowed(n, n.ingress(), "ingress");
            shadowed(n, n.egress(), "egress");
        }
    }

    private void shadowed(Nacl n, List<NaclEntry> entries, String dir) {
        for (int j = 0; j < entries.size(); j++) {
            NaclEntry e = entries.get(j);
            for (int i = 0; i < j; i++) {
                NaclEntry earlier = entries.get(i);
                if (earlier.cidr() == null || e.cidr() == null) continue;
                boolean proto = earlier.protocol().equals("all") || earlier.protocol().equals(e.protocol());
                if (proto && earlier.ports().contains(e.ports()) && earlier.cidr().contains(e.cidr())) {
                    add(Rules.SHADOWED_NACL_RULE, n.key(), "network ACL " + n.key() + " " + dir + " rule " + e.rule() + " (" + (e.allow() ? "allow" : "deny")
                            + ") never matches: rule " + earlier.rule() + " (" + (earlier.allow() ? "allow" : "deny") + " " + earlier.protocol()
                            + (Protocols.hasPorts(earlier.protocol()) ? "/" + earlier.ports() : "") + " " + earlier.cidr() + ") comes first"
                            + (earlier.allow() == e.allow() ? "" : " and does the opposite"), e.src());
                    break;
                }
            }
        }
    }
}
