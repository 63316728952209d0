package io.netstack.provider.ec2.routetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.stack.Cidr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.DeleteRouteRequest;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteRequest;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteOrigin;

/**
 * Translator between routes in stack form ({@code {"destination": "0.0.0.0/0", "target": "igw-…"}})
 * and EC2's {@link Route}s and route requests.
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

    private RouteTableRoutes() {}

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

    static ObjectNode canonical(JsonNode route) {
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

    static ArrayNode fromAws(List<Route> routes) {
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
        ReplaceRouteRequest.Builder b = ReplaceRouteRequest.builder().routeTableId(tableId);
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
