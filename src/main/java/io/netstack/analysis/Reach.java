package io.netstack.analysis;

import io.netstack.analysis.NetworkModel.Gateway;
import io.netstack.analysis.NetworkModel.Key;
import io.netstack.analysis.NetworkModel.Nacl;
import io.netstack.analysis.NetworkModel.Peering;
import io.netstack.analysis.NetworkModel.Route;
import io.netstack.analysis.NetworkModel.RouteTable;
import io.netstack.analysis.NetworkModel.SecurityGroup;
import io.netstack.analysis.NetworkModel.SgRule;
import io.netstack.analysis.NetworkModel.Src;
import io.netstack.analysis.NetworkModel.Subnet;
import io.netstack.stack.Cidr;
import io.netstack.stack.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reachability over a {@link NetworkModel} (of the files, or of live state for {@code --live}), IPv4: the hop-by-hop path of one flow
 * (subnet → route table → gateway → …), with the rule that admits it at each NACL and security
 * group in both directions (NACLs are stateless: the reply is checked on ephemeral ports;
 * security groups are stateful: only the first packet is), or the first component that blocks
 * it. Where a subnet's first exit is refused, the other refusals of that same exit are listed
 * too ({@link Result#alsoBlockedBy}), so one run shows everything to fix there.
 *
 * <p>Followed: local routes, internet gateways, public NAT gateways, VPC peerings. Transit
 * gateways, virtual private gateways, endpoints and private NAT gateways end the analysis with a
 * "not followed" block rather than a guess.
 */
public final class Reach {
    /** The packet's protocol and destination port, from {@code PROTO/PORT} ({@code tcp/443}, {@code udp/53}, {@code icmp}). */
    public record Flow(String protocol, int port) {
        public static Flow parse(String text) {
            String[] parts = text.split("/", 2);
            String proto = Protocols.canonical(parts[0]);
            if (!List.of("tcp", "udp", "icmp", "all").contains(proto)) throw new IllegalArgumentException("--port " + text + ": protocol must be tcp, udp or icmp");
            if (!Protocols.hasPorts(proto)) return new Flow(proto, 0);
            if (parts.length < 2) throw new IllegalArgumentException("--port " + text + ": expected PROTO/PORT, e.g. tcp/443");
            try {
                int p = Integer.parseInt(parts[1]);
                if (p < 0 || p > 65535) throw new NumberFormatException();
                return new Flow(proto, p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port " + text + ": port must be 0-65535");
            }
        }

        Ports ports() {
            return Protocols.hasPorts(protocol) ? new Ports(port, port) : Ports.ALL;
        }

        @Override
        public String toString() {
            return Protocols.hasPorts(protocol) ? protocol + "/" + port : protocol;
        }
    }

    public record Hop(String id, String type, String detail, Location location) {}

    public record Block(String id, String type, String reason, Location location) {}

    public record Result(boolean reachable, List<Hop> path, Block blockedBy, List<Block> alsoBlockedBy) {}

    private static final Cidr INTERNET = Cidr.parse("0.0.0.0/0");
    /** NAT gateways pick their source ports from 1024-65535 (AWS NACL guide, "Ephemeral ports"). */
    private static final Ports NAT_PORTS = new Ports(1024, 65535);

    private final NetworkModel m;
    private final Flow flow;
    private final SecurityGroup fromSg, toSg;
    private final List<Hop> path = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();

    private Reach(NetworkModel m, Flow flow, SecurityGroup fromSg, SecurityGroup toSg) {
        this.m = m;
        this.flow = flow;
        this.fromSg = fromSg;
        this.toSg = toSg;
    }

    /**
     * {@code from}: a subnet id ({@code id} or {@code stack/id}) or {@code internet}; {@code to}: a
     * subnet id, an IPv4 CIDR or {@code internet}. {@code fromSg}/{@code toSg}: the security group
     * of the sending/receiving interface, if any (the files attach groups to no instance).
     */
    public static Result run(NetworkModel m, String from, String to, Flow flow, String fromSg, String toSg) {
        Reach r = new Reach(m, flow, group(m, fromSg, "--from-sg"), group(m, toSg, "--to-sg"));
        boolean fromInternet = from.equals("internet");
        Subnet src = fromInternet ? null : subnet(m, from, "--from");
        Subnet dst = null;
        Cidr dest;
        if (to.equals("internet")) {
            dest = INTERNET;
        } else if (to.contains("/") && to.contains(".")) {
            try {
                dest = Cidr.parse(to);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--to " + to + ": " + e.getMessage());
            }
            if (dest.ipv6()) throw new IllegalArgumentException("--to " + to + ": IPv6 reachability is not modelled yet");
            final Cidr d = dest;
            dst = m.subnets().stream().filter(s -> s.vpc() != null && s.cidr() != null && s.cidr().contains(d)).findFirst().orElse(null);
        } else {
            dst = subnet(m, to, "--to");
            dest = dst.cidr();
        }
        if (fromInternet && dst == null) throw new IllegalArgumentException("--from internet needs --to a subnet (or a CIDR inside one)");
        if (fromInternet) r.fromInternet(dst);
        else r.fromSubnet(src, dst, dest);
        return r.result();
    }

    private Result result() {
        return new Result(blocks.isEmpty(), List.copyOf(path), blocks.isEmpty() ? null : blocks.get(0),
                blocks.size() > 1 ? List.copyOf(blocks.subList(1, blocks.size())) : List.of());
    }

    private static Subnet subnet(NetworkModel m, String id, String option) {
        List<Subnet> found = m.subnets().stream().filter(s -> s.key().id().equals(id) || s.key().qualified().equals(id)).toList();
        if (found.size() == 1) {
            if (found.get(0).vpc() == null || found.get(0).cidr() == null) throw new IllegalArgumentException(option + " " + id + " is in a VPC the given files do not declare");
            return found.get(0);
        }
        if (found.size() > 1) throw new IllegalArgumentException(option + " " + id + " is a subnet in several stacks: write it as <stack>/" + id);
        String type = m.types.entrySet().stream().filter(e -> e.getKey().id().equals(id) || e.getKey().qualified().equals(id))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
        throw new IllegalArgumentException(option + " " + id + (type == null ? " is not a resource of the given stacks" : " is a " + type + "; give a subnet"
                + (option.equals("--to") ? ", an IPv4 CIDR" : "") + " or internet"));
    }

    private static SecurityGroup group(NetworkModel m, String id, String option) {
        if (id == null) return null;
        return m.securityGroups().stream().filter(g -> g.key().id().equals(id) || g.key().qualified().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(option + " " + id + " is not a security group of the given stacks"));
    }

    private void hop(Key k, String type, String detail) {
        path.add(new Hop(k.id(), type, detail, m.source(k).map(Src::location).orElse(null)));
    }

    /** The detail with how the live route, rule or entry differs from the file, if it does ({@code --live}). */
    private String noted(String detail, Object item) {
        String note = item == null ? null : m.liveNote(item);
        return note == null ? detail : detail + " [" + note + "]";
    }

    private String tableNoted(String reason, Key table) {
        String note = m.tableNote(table);
        return note == null ? reason : reason + " [" + note + "]";
    }

    private boolean block(Key k, String type, String reason, Location at) {
        blocks.add(new Block(k == null ? "internet" : k.id(), type, reason, at));
        return false;
    }

    private boolean block(Key k, String type, String reason) {
        return block(k, type, reason, m.source(k).map(Src::location).orElse(null));
    }

    // ---- subnet → somewhere

    private void fromSubnet(Subnet src, Subnet dst, Cidr dest) {
        hop(src.key(), "subnet", src.cidr() + (src.zone() == null ? "" : " in " + src.zone()));
        if (!sgEgress(dest, dst)) return;
        boolean local = m.vpcs.get(src.vpc()) != null && m.vpcs.get(src.vpc()).cidrs().stream().anyMatch(c -> c.contains(dest));
        RouteTable table = m.routeTableOf(src.key()).orElse(null);
        Optional<Route> route = local ? Optional.empty() : NetworkModel.lookup(table, dest);
        // The subnet's exit: its route and its NACL's egress rules, both reported when both refuse.
        boolean routed = local || route.isPresent();
        if (!routed) {
            if (table == null) block(src.key(), "subnet", "no route to " + dest + ": subnet " + src.key()
                    + " uses its VPC's main route table (local routes only; no table in the files lists it)");
            else block(table.key(), "route-table", tableNoted("no route to " + dest + " in route table " + table.key(), table.key()));
        }
        boolean naclOut = naclCheck(src, false, flow.ports(), dest, "");
        if (!routed || !naclOut) return;
        if (local) {
            hop(table == null ? src.vpc() : table.key(), table == null ? "vpc" : "route-table", "local route (" + dest + " is in the VPC)");
            Subnet target = dst != null ? dst : m.subnets().stream().filter(s -> s.cidr() != null && s.cidr().contains(dest)).findFirst().orElse(null);
            if (target == null) {
                block(src.vpc(), "vpc", dest + " is inside the VPC but in none of its declared subnets");
                return;
            }
            arrive(src, src.cidr(), target, false);
            return;
        }
        Route r = route.get();
        hop(table.key(), "route-table", noted(r.destination() + " → " + r.targetText(), r));
        String type = m.type(r.target()).orElse("unmanaged target");
        Gateway g = m.gateway(r.target()).orElse(null);
        switch (type) {
            case "internet-gateway" -> viaInternetGateway(src, dst, dest, g);
            case "nat-gateway" -> viaNat(src, dst, dest, g);
            case "vpc-peering" -> viaPeering(src, dst, dest, m.peerings.get(r.target()));
            default -> block(r.target() == null ? table.key() : r.target(), r.target() == null ? "route-table" : type, "the path continues at "
                    + (r.target() == null ? r.targetText() : type + " " + r.target()) + ", which offline reach does not follow yet",
                    r.src().location());
        }
    }

    private void viaInternetGateway(Subnet src, Subnet dst, Cidr dest, Gateway igw) {
        if (igw.vpc() == null || !igw.vpc().equals(src.vpc())) {
            block(igw.key(), "internet-gateway", "internet gateway " + igw.key() + " is not attached to " + src.vpc());
            return;
        }
        if (!src.mapPublicIp()) {
            block(src.key(), "subnet", "subnet " + src.key() + " gives no public IPv4 address (mapPublicIp is off): the internet gateway translates only addresses of instances that have one");
            return;
        }
        hop(igw.key(), "internet-gateway", "public IPv4 address of the instance (mapPublicIp)");
        if (dst != null && !dst.vpc().equals(src.vpc())) {
            path.add(new Hop("internet", "internet", dest.toString(), null));
            arriveFromInternet(dst, src.cidr());
            if (blocks.isEmpty()) naclCheck(src, true, Ports.EPHEMERAL, dest, "reply ");
            return;
        }
        path.add(new Hop("internet", "internet", dest.toString(), null));
        naclCheck(src, true, Ports.EPHEMERAL, dest, "reply ");
    }

    private void viaNat(Subnet src, Subnet dst, Cidr dest, Gateway nat) {
        Subnet home = m.subnet(nat.subnet()).orElse(null);
        if (!nat.publicNat() || home == null) {
            block(nat.key(), "nat-gateway", home == null ? "NAT gateway " + nat.key() + " is in a subnet the files do not declare"
                    : "private NAT gateway " + nat.key() + ": offline reach does not follow it yet");
            return;
        }
        hop(nat.key(), "nat-gateway", "in subnet " + home.key() + (home.zone() == null ? "" : " (" + home.zone() + ")")
                + "; source address becomes the gateway's elastic IP");
        if (!naclCheck(home, true, flow.ports(), src.cidr(), "")) return;
        RouteTable t = m.routeTableOf(home.key()).orElse(null);
        Optional<Route> r = NetworkModel.lookup(t, dest).filter(x -> m.isInternetGatewayRoute(t, x));
        if (r.isEmpty()) {
            if (t == null) block(home.key(), "subnet", "NAT gateway subnet " + home.key() + " uses the main route table: no route to an internet gateway");
            else block(t.key(), "route-table", tableNoted("route table " + t.key() + " of the NAT gateway's subnet has no route to " + dest + " through an internet gateway", t.key()));
            return;
        }
        hop(t.key(), "route-table", noted(r.get().destination() + " → " + r.get().targetText(), r.get()));
        if (!naclCheck(home, false, flow.ports(), dest, "")) return;
        Gateway igw = m.gateways.get(r.get().target());
        hop(igw.key(), "internet-gateway", "the NAT gateway's elastic IP");
        path.add(new Hop("internet", "internet", dest.toString(), null));
        if (dst != null && !dst.vpc().equals(src.vpc())) {
            block(dst.key(), "subnet", "offline reach follows a NAT gateway to the internet, not back into another VPC's subnet");
            return;
        }
        // Replies: into the NAT subnet on the gateway's ports, on to the instance's ephemeral port.
        if (!naclCheck(home, true, NAT_PORTS, dest, "reply ")) return;
        if (!naclCheck(home, false, Ports.EPHEMERAL, src.cidr(), "reply ")) return;
        naclCheck(src, true, Ports.EPHEMERAL, dest, "reply ");
    }

    private void viaPeering(Subnet src, Subnet dst, Cidr dest, Peering p) {
        Key other = src.vpc().equals(p.vpc()) ? p.peerVpc() : src.vpc().equals(p.peerVpc()) ? p.vpc() : null;
        if (other == null) {
            block(p.key(), "vpc-peering", "peering " + p.key() + " does not connect " + src.vpc());
            return;
        }
        var vpc = m.vpcs.get(other);
        if (vpc == null || vpc.cidrs().stream().noneMatch(c -> c.contains(dest))) {
            block(p.key(), "vpc-peering", dest + " is not in peer VPC " + other + ": a peering carries traffic only to the peer VPC's own CIDRs (no transitive routing)");
            return;
        }
        hop(p.key(), "vpc-peering", src.vpc() + " → " + other);
        Subnet target = dst != null ? dst : m.subnetsOf(other).stream().filter(s -> s.cidr() != null && s.cidr().contains(dest)).findFirst().orElse(null);
        if (target == null) {
            block(other, "vpc", dest + " is in VPC " + other + " but in none of its declared subnets");
            return;
        }
        arrive(src, src.cidr(), target, true);
        if (!blocks.isEmpty()) return;
        RouteTable back = m.routeTableOf(target.key()).orElse(null);
        Optional<Route> r = NetworkModel.lookup(back, src.cidr());
        if (r.isEmpty() || !p.key().equals(r.get().target())) {
            block(back == null ? target.key() : back.key(), back == null ? "subnet" : "route-table", "replies to " + src.cidr() + " have no route back over peering "
                    + p.key() + (back == null ? " (main route table)" : " in route table " + back.key()));
        }
    }

    /** Entry into {@code dst} from {@code srcCidr}, then the reply's way out of it and back into {@code src}. */
    private void arrive(Subnet src, Cidr srcCidr, Subnet dst, boolean remote) {
        hop(dst.key(), "subnet", dst.cidr() + (dst.zone() == null ? "" : " in " + dst.zone()));
        if (!naclCheck(dst, true, flow.ports(), srcCidr, "")) return;
        if (!sgIngress(srcCidr, fromSg)) return;
        if (!naclCheck(dst, false, Ports.EPHEMERAL, srcCidr, "reply ")) return;
        naclCheck(src, true, Ports.EPHEMERAL, dst.cidr(), "reply ");
    }

    // ---- internet → subnet

    private void fromInternet(Subnet dst) {
        path.add(new Hop("internet", "internet", INTERNET.toString(), null));
        arriveFromInternet(dst, INTERNET);
    }

    private void arriveFromInternet(Subnet dst, Cidr from) {
        Gateway igw = m.gateways.values().stream().filter(g -> g.type().equals("internet-gateway") && dst.vpc().equals(g.vpc())).findFirst().orElse(null);
        if (igw == null) {
            block(dst.vpc(), "vpc", "VPC " + dst.vpc() + " has no internet gateway");
            return;
        }
        hop(igw.key(), "internet-gateway", "to the instance's public IPv4 address");
        // The way in: a public address on the instance, and a route for the replies through the same gateway.
        if (!dst.mapPublicIp()) block(dst.key(), "subnet", "subnet " + dst.key() + " gives no public IPv4 address (mapPublicIp is off): nothing in it can be addressed from the internet");
        RouteTable t = m.routeTableOf(dst.key()).orElse(null);
        Optional<Route> back = NetworkModel.lookup(t, from).filter(r -> m.isInternetGatewayRoute(t, r));
        if (back.isEmpty()) {
            if (t == null) block(dst.key(), "subnet", "subnet " + dst.key() + " uses its VPC's main route table: replies have no route to the internet gateway");
            else block(t.key(), "route-table", tableNoted("route table " + t.key() + " has no route to " + from + " through the internet gateway for the replies", t.key()));
        }
        if (!blocks.isEmpty()) return;
        hop(dst.key(), "subnet", dst.cidr() + (dst.zone() == null ? "" : " in " + dst.zone()));
        if (!naclCheck(dst, true, flow.ports(), from, "")) return;
        if (!sgIngress(from, null)) return;
        hop(t.key(), "route-table", noted("replies: " + back.get().destination() + " → " + back.get().targetText(), back.get()));
        naclCheck(dst, false, Ports.EPHEMERAL, from, "reply ");
    }

    // ---- rule checks

    /** The subnet's NACL for traffic {@code inbound} from (or outbound to) {@code peer}; no declared NACL = the VPC's default, which allows all. */
    private boolean naclCheck(Subnet s, boolean inbound, Ports ports, Cidr peer, String what) {
        Nacl n = m.naclOf(s.key()).orElse(null);
        String dir = inbound ? "ingress" : "egress";
        String proto = flow.protocol();
        String desc = what + proto + (Protocols.hasPorts(proto) ? "/" + ports : "") + (inbound ? " from " : " to ") + peer;
        if (n == null) {
            path.add(new Hop(s.vpc().id(), "default-network-acl", "no NACL in the files lists subnet " + s.key() + ": its VPC's default NACL allows all; "
                    + dir + " " + desc, null));
            return true;
        }
        Nacls.Verdict v = Nacls.evaluate(inbound ? n.ingress() : n.egress(), proto, Protocols.hasPorts(proto) ? ports : Ports.ALL, peer);
        if (!v.allowed()) {
            Location at = v.deniedBy() != null ? v.deniedBy().src().location() : n.src().location();
            return block(n.key(), "network-acl", noted("network ACL " + n.key() + " " + dir + " " + v.describe() + ": " + desc, v.deniedBy()), at);
        }
        path.add(new Hop(n.key().id(), "network-acl", noted(dir + " rule " + v.decidedBy().rule() + " allows " + desc, v.decidedBy()), v.decidedBy().src().location()));
        return true;
    }

    private boolean sgEgress(Cidr dest, Subnet dst) {
        if (fromSg == null) return true;
        if (fromSg.egress() == null) {
            hop(fromSg.key(), "security-group", "egress: AWS's default allow-all rule (the file lists no egress)");
            return true;
        }
        for (SgRule r : fromSg.egress()) {
            if (admits(r, dest, toSg)) {
                path.add(new Hop(fromSg.key().id(), "security-group", noted("egress rule " + describe(r) + " allows " + flow + " to " + dest, r), r.src().location()));
                return true;
            }
        }
        return block(fromSg.key(), "security-group", "security group " + fromSg.key() + " has no egress rule for " + flow + " to " + dest);
    }

    private boolean sgIngress(Cidr from, SecurityGroup peer) {
        if (toSg == null) return true;
        for (SgRule r : toSg.ingress()) {
            if (admits(r, from, peer)) {
                path.add(new Hop(toSg.key().id(), "security-group", noted("ingress rule " + describe(r) + " allows " + flow + " from " + from
                        + " (stateful: replies pass)", r), r.src().location()));
                return true;
            }
        }
        return block(toSg.key(), "security-group", "security group " + toSg.key() + " has no ingress rule for " + flow + " from " + from
                + (peer == null ? "" : " or group " + peer.key()));
    }

    private boolean admits(SgRule r, Cidr peer, SecurityGroup peerGroup) {
        if (!Protocols.matches(r.protocol(), flow.protocol()) || (Protocols.hasPorts(flow.protocol()) && !r.ports().contains(flow.port()))) return false;
        if (r.cidr() != null) return r.cidr().contains(peer);
        return peerGroup != null && peerGroup.key().equals(r.group());
    }

    private static String describe(SgRule r) {
        return r.protocol() + (Protocols.hasPorts(r.protocol()) ? "/" + r.ports() : "") + " " + r.peerText();
    }
}
