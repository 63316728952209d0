package io.netstack.provider.ec2.routetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.Property;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.DeleteRouteRequest;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteRequest;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteOrigin;

/**
 * Translator between routes in stack form ({@code {"destination": "0.0.0.0/0", "target": "igw-…"}})
 * and EC2's {@link Route}s and route requests, and the offline checks of a table's routes
 * ({@link #validate}), as {@code NetworkAclEntries} is for NACL entries.
 *
 * <p>Canonical form: a destination is a CIDR in AWS's text form (IPv6 lower-case and compressed)
 * or a prefix list id; a target is an AWS id (or {@code ${id}} on the desired side). One route
 * per destination: a table cannot hold two routes to the same destination.
 *
 * <p>What a read leaves out, because this table's {@code routes} do not own it:
 * <ul>
 *   <li>the {@code local} routes (origin {@code CreateRouteTable}, gateway {@code local});</li>
 *   <li>propagated routes (origin {@code EnableVgwRoutePropagation}): {@code propagateFrom} manages those;</li>
 *   <li>routes AWS adds for a <em>gateway</em> VPC endpoint (prefix-list destination, gateway
 *       {@code vpce-…}): the {@code vpc-endpoint}'s {@code routeTables} manage those (as
 *       Terraform's aws_route_table does, flattenRoutes);</li>
 *   <li>VPC Lattice routes (gateway {@code VpcLattice}), which AWS manages.</li>
 * </ul>
 */
public final class RouteTableRoutes {
    /** The stack types a route may point at, each with its AWS id prefix. */
    static final Map<String, String> TARGET_TYPES = new LinkedHashMap<>();

    static {
        TARGET_TYPES.put("internet-gateway", "igw-");
        TARGET_TYPES.put("egress-only-internet-gateway", "eigw-");
        TARGET_TYPES.put("nat-gateway", "nat-");
        TARGET_TYPES.put("vpc-peering", "pcx-");
        // the accepter side routes to the peering it accepted (kindOfId still says vpc-peering: first match)
        TARGET_TYPES.put("vpc-peering-acceptance", "pcx-");
        TARGET_TYPES.put("transit-gateway", "tgw-");
        TARGET_TYPES.put("vpn-gateway", "vgw-");
        TARGET_TYPES.put("vpc-endpoint", "vpce-");
    }

    /** Network interfaces are not a netstack type: they are named by literal id only. */
    static final String ENI_PREFIX = "eni-";
    /** The target id prefixes accepted as literal ids. */
    static final List<String> TARGET_PREFIXES = List.of("eigw-", "igw-", "nat-", "pcx-", "tgw-", "vgw-", "vpce-", ENI_PREFIX);

    static final String LOCAL_GATEWAY = "local";
    static final String LATTICE_GATEWAY = "VpcLattice";

    /**
     * Amazon VPC quotas: 50 non-propagated routes per route table (adjustable up to 1,000),
     * enforced separately for IPv4 and IPv6 routes; a prefix list counts with its max entries.
     */
    static final int MAX_ROUTES_PER_FAMILY = 50;
    /** The well-known NAT64 prefix (RFC 6052): the only IPv6 destination a NAT gateway takes. */
    static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    private RouteTableRoutes() {}

    /** The schema of a {@code routes} list (route-table, and vpc's mainRouteTable). */
    public static Property.Builder routesSchema() {
        return Property.list("routes", Property.object("route",
                Property.string("destination").required().describe("IPv4 or IPv6 CIDR, or a prefix list id pl-…"),
                Property.ref("target", List.copyOf(TARGET_TYPES.keySet()), TARGET_PREFIXES).required()
                        .describe("internet, egress-only internet, NAT, transit or VPN gateway, VPC peering, Gateway Load Balancer endpoint, or network interface (eni-…)")));
    }

    /** The stack type an AWS id belongs to ("network-interface" for eni-), or null if unknown. */
    static String kindOfId(String id) {
        if (id == null) return null;
        if (id.startsWith(ENI_PREFIX)) return "network-interface";
        for (Map.Entry<String, String> e : TARGET_TYPES.entrySet()) if (id.startsWith(e.getValue())) return e.getKey();
        return null;
    }

    /** Canonical destination text: CIDRs in AWS's form, anything else (pl-…, a reference) unchanged. */
    static String destination(String d) {
        return d != null && Cidr.isCidr(d) ? Cidr.canonical(d) : d;
    }

    public static ObjectNode canonical(JsonNode route) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("destination", destination(route.path("destination").asText()));
        o.put("target", route.path("target").asText());
        return o;
    }

    /** The route in stack form, or empty if the table's {@code routes} do not manage it. */
    static Optional<ObjectNode> fromAws(Route r) {
        String origin = r.originAsString();
        if (origin != null && !origin.equals(RouteOrigin.CREATE_ROUTE.toString())) return Optional.empty();
        String gw = r.gatewayId();
        if (LOCAL_GATEWAY.equals(gw) || LATTICE_GATEWAY.equals(gw)) return Optional.empty();
        if (r.destinationPrefixListId() != null && gw != null && gw.startsWith("vpce-")) return Optional.empty();
        String dest = awsDestination(r);
        String target = target(r);
        if (dest == null || target == null) return Optional.empty();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("destination", dest);
        o.put("target", target);
        return Optional.of(o);
    }

    public static ArrayNode fromAws(List<Route> routes) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Route r : routes) fromAws(r).ifPresent(out::add);
        return out;
    }

    static String awsDestination(Route r) {
        if (r.destinationCidrBlock() != null) return Cidr.canonical(r.destinationCidrBlock());
        if (r.destinationIpv6CidrBlock() != null) return Cidr.canonical(r.destinationIpv6CidrBlock());
        return r.destinationPrefixListId();
    }

    /**
     * Whichever target field is set. A route to an instance carries both the instance and its
     * network interface: the interface is what netstack names. Targets netstack cannot write
     * (carrier/local gateways, Cloud WAN, instances without an ENI id) still read back, so a
     * route added by hand with one shows up as drift.
     */
    static String target(Route r) {
        for (String t : new String[] {r.natGatewayId(), r.egressOnlyInternetGatewayId(), r.transitGatewayId(),
                r.vpcPeeringConnectionId(), r.gatewayId(), r.networkInterfaceId(), r.instanceId(),
                r.carrierGatewayId(), r.localGatewayId(), r.coreNetworkArn()}) {
            if (t != null && !t.isEmpty()) return t;
        }
        return null;
    }

    /** Destination → target of a routes list (canonical destinations). */
    static Map<String, String> byDestination(JsonNode routes) {
        Map<String, String> m = new LinkedHashMap<>();
        if (routes != null) for (JsonNode r : routes) m.put(destination(r.path("destination").asText()), r.path("target").asText());
        return m;
    }

    /** Route checks that need no AWS call: destinations, duplicates, target kinds per family, gateways of another VPC, the quota. */
    static void validate(ResourceBlock b, Validation v, JsonNode routes, JsonNode vpc) {
        validate(b, v, "/routes", routes, vpc);
    }

    /** {@link #validate(ResourceBlock, Validation, JsonNode, JsonNode)} of a routes list at {@code pointer} (vpc's mainRouteTable/routes). */
    public static void validate(ResourceBlock b, Validation v, String pointer, JsonNode routes, JsonNode vpc) {
        if (routes == null || !routes.isArray()) return;
        Map<String, Integer> seen = new HashMap<>();
        int v4 = 0, v6 = 0;
        for (int i = 0; i < routes.size(); i++) {
            JsonNode r = routes.get(i);
            String at = pointer + "/" + i;
            String dest = r.path("destination").asText();
            Cidr cidr = null;
            if (!Reference.containsReference(dest) && !dest.startsWith("pl-")) {
                try {
                    cidr = Cidr.parse(dest);
                } catch (IllegalArgumentException e) {
                    v.error(b, at + "/destination", e.getMessage() + " (expected an IPv4 or IPv6 CIDR, or a prefix list id pl-…)");
                    continue;
                }
            }
            if (cidr != null && cidr.ipv6()) v6++;
            else v4++;
            String key = cidr != null ? cidr.toString() : dest;
            Integer prev = seen.putIfAbsent(key, i);
            if (prev != null) v.error(b, at + "/destination", "duplicate destination " + key + ": routes[" + prev + "] already routes it (a table has one route per destination)");

            JsonNode target = r.get("target");
            Optional<ResourceBlock> tb = v.target(target);
            String kind = tb.map(ResourceBlock::type).orElseGet(() -> RouteTableRoutes.kindOfId(target == null ? null : target.asText()));
            if (kind == null) continue;
            String what = tb.map(t -> t.id() + " (" + t.type() + ")").orElse(target.asText());
            if (cidr != null && kind.equals("egress-only-internet-gateway") && !cidr.ipv6()) {
                v.error(b, at + "/destination", "an egress-only internet gateway takes IPv6 destinations only, got " + cidr
                        + " (route IPv4 through a NAT gateway or an internet gateway)");
            }
            if (cidr != null && kind.equals("nat-gateway") && cidr.ipv6() && !NAT64.contains(cidr)) {
                v.error(b, at + "/destination", "a NAT gateway takes IPv4 destinations (and IPv6 only for NAT64 inside " + NAT64 + "), got " + cidr
                        + " (route IPv6 egress through an egress-only internet gateway)");
            }
            if (tb.isPresent() && kind.equals("vpc-endpoint")) {
                String epKind = tb.get().properties().path("kind").asText("");
                if (!epKind.isEmpty() && !epKind.equals("gateway-load-balancer")) {
                    v.error(b, at + "/target", what + " is a " + epKind + " endpoint: only Gateway Load Balancer endpoints are route targets"
                            + (epKind.equals("gateway") ? "; a gateway endpoint adds its own routes to the tables in its routeTables — list " + b.id() + " there" : ""));
                }
            }
            if (tb.isPresent() && Set.of("internet-gateway", "egress-only-internet-gateway", "vpn-gateway").contains(kind)) {
                JsonNode gwVpc = tb.get().properties().get("vpc");
                if (io.netstack.provider.SubnetClaims.comparable(gwVpc, vpc) && !gwVpc.asText().equals(vpc.asText())) {
                    v.error(b, at + "/target", what + " is attached to " + gwVpc.asText() + ", not to this table's VPC " + vpc.asText()
                            + " (AWS: the route table and network gateway belong to different networks)");
                }
            }
        }
        if (v4 > MAX_ROUTES_PER_FAMILY || v6 > MAX_ROUTES_PER_FAMILY) {
            v.warning(b, pointer, "more than " + MAX_ROUTES_PER_FAMILY + " " + (v6 > MAX_ROUTES_PER_FAMILY ? "IPv6" : "IPv4")
                    + " routes exceeds the default quota of " + MAX_ROUTES_PER_FAMILY + " routes per route table (adjustable)");
        }
    }

    static CreateRouteRequest createRequest(String tableId, String destination, String target) {
        CreateRouteRequest.Builder b = CreateRouteRequest.builder().routeTableId(tableId);
        if (destination.startsWith("pl-")) b.destinationPrefixListId(destination);
        else if (destination.contains(":")) b.destinationIpv6CidrBlock(destination);
        else b.destinationCidrBlock(destination);
        switch (kindOrFail(target)) {
            case "internet-gateway", "vpn-gateway" -> b.gatewayId(target);
            case "egress-only-internet-gateway" -> b.egressOnlyInternetGatewayId(target);
            case "nat-gateway" -> b.natGatewayId(target);
            case "vpc-peering" -> b.vpcPeeringConnectionId(target);
            case "transit-gateway" -> b.transitGatewayId(target);
            case "vpc-endpoint" -> b.vpcEndpointId(target);
            default -> b.networkInterfaceId(target);
        }
        return b.build();
    }

    static ReplaceRouteRequest replaceRequest(String tableId, String destination, String target) {
        // The same destination and target fields as a create (one place decides them); unset ones are null.
        CreateRouteRequest c = createRequest(tableId, destination, target);
        return ReplaceRouteRequest.builder().routeTableId(c.routeTableId())
                .destinationCidrBlock(c.destinationCidrBlock()).destinationIpv6CidrBlock(c.destinationIpv6CidrBlock())
                .destinationPrefixListId(c.destinationPrefixListId())
                .gatewayId(c.gatewayId()).egressOnlyInternetGatewayId(c.egressOnlyInternetGatewayId()).natGatewayId(c.natGatewayId())
                .vpcPeeringConnectionId(c.vpcPeeringConnectionId()).transitGatewayId(c.transitGatewayId())
                .vpcEndpointId(c.vpcEndpointId()).networkInterfaceId(c.networkInterfaceId())
                .build();
    }

    static DeleteRouteRequest deleteRequest(String tableId, String destination) {
        DeleteRouteRequest.Builder b = DeleteRouteRequest.builder().routeTableId(tableId);
        if (destination.startsWith("pl-")) b.destinationPrefixListId(destination);
        else if (destination.contains(":")) b.destinationIpv6CidrBlock(destination);
        else b.destinationCidrBlock(destination);
        return b.build();
    }

    private static String kindOrFail(String target) {
        String k = kindOfId(target);
        if (k == null) throw new AwsFailure(ErrorCategory.INVALID_REQUEST, null, null,
                "route target '" + target + "' is not an id netstack can route to (" + String.join(", ", TARGET_PREFIXES) + ")");
        return k;
    }
}
