package io.netstack.provider.ec2.routetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.DependencyGraph;
import io.netstack.engine.ExecutionOrder;
import io.netstack.engine.HandOver;
import io.netstack.engine.Json;
import io.netstack.engine.Normalizer;
import io.netstack.engine.References;
import io.netstack.engine.Step;
import io.netstack.engine.Validator;
import io.netstack.provider.ec2.egressonlyinternetgateway.EgressOnlyInternetGatewayType;
import io.netstack.provider.ec2.elasticip.ElasticIpType;
import io.netstack.provider.ec2.internetgateway.InternetGatewayType;
import io.netstack.provider.ec2.natgateway.NatGatewayType;
import io.netstack.provider.ec2.subnet.SubnetType;
import io.netstack.provider.ec2.transitgateway.TransitGatewayType;
import io.netstack.provider.ec2.transitgatewayattachment.TransitGatewayAttachmentType;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.provider.ec2.vpcendpoint.VpcEndpointType;
import io.netstack.provider.ec2.vpcpeering.VpcPeeringType;
import io.netstack.provider.ec2.vpngateway.VpnGatewayType;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Retry;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.spi.Waiter;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.PropagatingVgw;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Route-table validation rules, translation to the canonical shape and ordering rules; no AWS. */
class RouteTableTypeTest {
    static final RouteTableType TYPE = new RouteTableType(null);

    // ------------------------------------------------------------------ validation

    /** The real types this stack needs: their own validation runs too, so the fixtures must satisfy it. */
    static final TypeRegistry TYPES = registry(new VpcType(null), new SubnetType(null), TYPE,
            new InternetGatewayType(null), new EgressOnlyInternetGatewayType(null), new ElasticIpType(null),
            new NatGatewayType(null), new VpnGatewayType(null), new VpcEndpointType(null), new TransitGatewayType(null),
            new VpcPeeringType(null), new TransitGatewayAttachmentType(null));

    record Outcome(List<String> errors, List<String> warnings) {
        boolean hasError(String text) {
            return errors.stream().anyMatch(e -> e.contains(text));
        }
    }

    static Outcome validate(String resources) {
        String text = """
            { "stack": "t", "region": "eu-west-1", "resources": {
              "vpc":   { "type": "vpc", "cidr": "10.0.0.0/16", "ipv6": true },
              "other": { "type": "vpc", "cidr": "10.1.0.0/16" },
              "a":     { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24" },
              "b":     { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.2.0/24" },
              "x":     { "type": "subnet", "vpc": "${other}", "cidr": "10.1.1.0/24" },
              "igw":   { "type": "internet-gateway", "vpc": "${vpc}" },
              "eigw":  { "type": "egress-only-internet-gateway", "vpc": "${vpc}" },
              "eip":   { "type": "elastic-ip" },
              "nat":   { "type": "nat-gateway", "subnet": "${a}", "eip": "${eip}" },
              "vgw":   { "type": "vpn-gateway", "vpc": "${vpc}" },
            %s
            } }
            """.formatted(resources);
        try {
            var r = new Validator(TYPES).validate(StackLoader.parse("t.json", text, Map.of()));
            return new Outcome(List.of(), r.warnings().stream().map(StackError::message).toList());
        } catch (StackException e) {
            return new Outcome(e.errors().stream().map(StackError::message).toList(), List.of());
        }
    }

    @Test
    void aValidTableHasNoErrors() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${a}", "${b}"], "propagateFrom": ["${vgw}"],
                      "routes": [ { "destination": "0.0.0.0/0", "target": "${igw}" },
                                  { "destination": "::/0", "target": "${eigw}" },
                                  { "destination": "10.8.0.0/16", "target": "${nat}" },
                                  { "destination": "64:ff9b::/96", "target": "${nat}" },
                                  { "destination": "pl-12345678", "target": "${igw}" },
                                  { "destination": "192.168.0.0/16", "target": "eni-0123456789abcdef0" },
                                  { "destination": "172.16.0.0/12", "target": "pcx-0123" } ] }
            """);
        assertEquals(List.of(), o.errors());
        assertEquals(List.of(), o.warnings());
    }

    @Test
    void egressOnlyGatewayTakesOnlyIpv6() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "0.0.0.0/0", "target": "${eigw}" } ] }
            """);
        assertTrue(o.hasError("an egress-only internet gateway takes IPv6 destinations only, got 0.0.0.0/0"), o.toString());
        Outcome literal = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "10.9.0.0/16", "target": "eigw-0abc" } ] }
            """);
        assertTrue(literal.hasError("egress-only internet gateway takes IPv6"), literal.toString());
    }

    @Test
    void natGatewayTakesIpv4AndNat64Only() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "::/0", "target": "${nat}" } ] }
            """);
        assertTrue(o.hasError("a NAT gateway takes IPv4 destinations"), o.toString());
        assertTrue(validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "2600::/16", "target": "nat-0abc" } ] }
            """).hasError("a NAT gateway takes IPv4 destinations"));
    }

    @Test
    void duplicateDestinationsAreComparedCanonically() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [
                        { "destination": "2001:DB8::/32", "target": "${igw}" },
                        { "destination": "2001:db8:0:0::/32", "target": "${eigw}" } ] }
            """);
        assertTrue(o.hasError("duplicate destination 2001:db8::/32: routes[0] already routes it"), o.toString());
    }

    @Test
    void destinationMustBeACidrOrPrefixList() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [
                        { "destination": "10.0.0.1/8", "target": "${igw}" },
                        { "destination": "everywhere", "target": "${igw}" } ] }
            """);
        assertTrue(o.hasError("has host bits set"), o.toString());
        assertTrue(o.hasError("'everywhere' is not a valid CIDR block (expected an IPv4 or IPv6 CIDR, or a prefix list id pl-…)"), o.toString());
    }

    @Test
    void targetMustBeARoutableKind() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [
                        { "destination": "0.0.0.0/0", "target": "${a}" },
                        { "destination": "10.5.0.0/16", "target": "i-0123456789" } ] }
            """);
        assertTrue(o.hasError("${a} is a subnet, expected internet-gateway or egress-only-internet-gateway or nat-gateway"), o.toString());
        assertTrue(o.hasError("\"i-0123456789\" is neither a reference ${id} nor an AWS id starting with eigw- or igw-"), o.toString());
    }

    @Test
    void gatewayEndpointsAreNotRouteTargets() {
        Outcome o = validate("""
              "s3": { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "gateway", "service": "com.amazonaws.eu-west-1.s3" },
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "pl-6da54004", "target": "${s3}" } ] }
            """);
        assertTrue(o.hasError("s3 (vpc-endpoint) is a gateway endpoint: only Gateway Load Balancer endpoints are route targets; a gateway endpoint adds its own routes"), o.toString());
        assertEquals(List.of(), validate("""
              "fw": { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "gateway-load-balancer",
                      "service": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", "subnets": ["${a}"] },
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "0.0.0.0/0", "target": "${fw}" } ] }
            """).errors());
    }

    @Test
    void gatewayMustBeAttachedToTheTablesVpc() {
        Outcome o = validate("""
              "igw2": { "type": "internet-gateway", "vpc": "${other}" },
              "rt": { "type": "route-table", "vpc": "${vpc}", "routes": [ { "destination": "0.0.0.0/0", "target": "${igw2}" } ],
                      "propagateFrom": ["${vgw2}"] },
              "vgw2": { "type": "vpn-gateway", "vpc": "${other}" }
            """);
        assertTrue(o.hasError("igw2 (internet-gateway) is attached to ${other}, not to this table's VPC ${vpc}"), o.toString());
        assertTrue(o.hasError("vgw2 is attached to ${other}, not to this table's VPC ${vpc}"), o.toString());
    }

    @Test
    void aSubnetHasOneRouteTable() {
        Outcome o = validate("""
              "rt1": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${a}"] },
              "rt2": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${b}", "${a}"] }
            """);
        assertEquals(1, o.errors().size(), o.toString());
        assertTrue(o.errors().get(0).startsWith("rt2: "), "reported on the later table: " + o);
        assertTrue(o.hasError("${a} is already associated with route table rt1"), o.toString());
        assertTrue(validate("""
              "rt1": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${a}", "${a}"] }
            """).hasError("${a} is listed twice"));
    }

    @Test
    void aSubnetMustBeInTheTablesVpc() {
        Outcome o = validate("""
              "rt": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${x}", "subnet-0abc"] }
            """);
        assertEquals(1, o.errors().size(), "a literal subnet id cannot be checked offline: " + o);
        assertTrue(o.hasError("subnet x is in ${other}, not in this table's VPC ${vpc}"), o.toString());
    }

    @Test
    void moreThanFiftyRoutesOfOneFamilyIsAQuotaWarning() {
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < 51; i++) routes.add("{ \"destination\": \"10.100." + i + ".0/24\", \"target\": \"${igw}\" }");
        Outcome o = validate("\"rt\": { \"type\": \"route-table\", \"vpc\": \"${vpc}\", \"routes\": [" + String.join(",", routes) + "] }");
        assertEquals(List.of(), o.errors());
        assertEquals(1, o.warnings().size(), o.toString());
        assertTrue(o.warnings().get(0).contains("more than 50 IPv4 routes exceeds the default quota"), o.toString());
        routes.remove(50);
        assertEquals(List.of(), validate("\"rt\": { \"type\": \"route-table\", \"vpc\": \"${vpc}\", \"routes\": [" + String.join(",", routes) + "] }").warnings());
    }

    // ------------------------------------------------------------------ translation

    static final TypeContext CTX = new TypeContext() {
        @Override public String stack() { return "t"; }
        @Override public String region() { return "eu-west-1"; }
        @Override public Waiter waiter() { throw new UnsupportedOperationException(); }
        @Override public Retry retry() { throw new UnsupportedOperationException(); }
    };

    static Route route(String dest, String origin, java.util.function.Consumer<Route.Builder> target) {
        Route.Builder b = Route.builder().origin(origin).state("active");
        if (dest.startsWith("pl-")) b.destinationPrefixListId(dest);
        else if (dest.contains(":")) b.destinationIpv6CidrBlock(dest);
        else b.destinationCidrBlock(dest);
        target.accept(b);
        return b.build();
    }

    @Test
    void readKeepsOnlyCreateRouteRoutesWithTheirTarget() {
        List<Route> routes = List.of(
                route("10.0.0.0/16", "CreateRouteTable", b -> b.gatewayId("local")),
                route("2a05:d018:1::/56", "CreateRouteTable", b -> b.gatewayId("local")),
                route("172.31.0.0/16", "EnableVgwRoutePropagation", b -> b.gatewayId("vgw-1")),
                route("pl-6da54004", "CreateRoute", b -> b.gatewayId("vpce-1")),              // a gateway endpoint's route
                route("0.0.0.0/0", "CreateRoute", b -> b.gatewayId("igw-1")),
                route("2001:DB8:0:0::/32", "CreateRoute", b -> b.egressOnlyInternetGatewayId("eigw-1")),
                route("10.8.0.0/16", "CreateRoute", b -> b.natGatewayId("nat-1")),
                route("10.9.0.0/16", "CreateRoute", b -> b.instanceId("i-1").networkInterfaceId("eni-1")),
                route("pl-0abc", "CreateRoute", b -> b.transitGatewayId("tgw-1")),
                route("192.168.0.0/16", "CreateRoute", b -> b.vpcPeeringConnectionId("pcx-1")));
        JsonNode read = RouteTableRoutes.fromAws(routes);
        assertEquals(Json.MAPPER.valueToTree(List.of(
                Map.of("destination", "0.0.0.0/0", "target", "igw-1"),
                Map.of("destination", "2001:db8::/32", "target", "eigw-1"),
                Map.of("destination", "10.8.0.0/16", "target", "nat-1"),
                Map.of("destination", "10.9.0.0/16", "target", "eni-1"),
                Map.of("destination", "pl-0abc", "target", "tgw-1"),
                Map.of("destination", "192.168.0.0/16", "target", "pcx-1"))), read);
    }

    @Test
    void readAfterCreateEqualsTheInput() {
        // As written in a stack file (references already resolved to ids by the executor) …
        ObjectNode desired = (ObjectNode) Json.MAPPER.valueToTree(Map.of(
                "vpc", "vpc-1",
                "subnets", List.of("subnet-b", "subnet-a"),
                "routes", List.of(
                        Map.of("destination", "2001:DB8:0::/32", "target", "eigw-1"),
                        Map.of("destination", "0.0.0.0/0", "target", "igw-1")),
                "tags", Map.of("team", "net", "Name", "t/rt")));
        // … and as AWS returns it after the create: main association, local routes, AWS-side tags.
        RouteTable t = RouteTable.builder().routeTableId("rtb-1").vpcId("vpc-1").ownerId("123456789012")
                .associations(
                        RouteTableAssociation.builder().main(false).subnetId("subnet-a").routeTableAssociationId("rtbassoc-a").associationState(s -> s.state("associated")).build(),
                        RouteTableAssociation.builder().main(false).subnetId("subnet-b").routeTableAssociationId("rtbassoc-b").build(),
                        RouteTableAssociation.builder().main(false).subnetId("subnet-old").routeTableAssociationId("rtbassoc-c").associationState(s -> s.state("disassociated")).build())
                .routes(route("10.0.0.0/16", "CreateRouteTable", b -> b.gatewayId("local")),
                        route("0.0.0.0/0", "CreateRoute", b -> b.gatewayId("igw-1")),
                        route("2001:db8::/32", "CreateRoute", b -> b.egressOnlyInternetGatewayId("eigw-1")))
                .tags(Tag.builder().key("netstack:stack").value("t").build(), Tag.builder().key("netstack:id").value("rt").build(),
                        Tag.builder().key("Name").value("t/rt").build(), Tag.builder().key("team").value("net").build())
                .build();
        LiveResource live = TYPE.translate(CTX, "rt", t);
        assertEquals(Normalizer.normalize(TYPE, desired), Normalizer.normalize(TYPE, live.properties()));
        assertEquals("arn:aws:ec2:eu-west-1:123456789012:route-table/rtb-1", live.attributes().get("arn"));
    }

    @Test
    void theMainAssociationIsNotASubnetOfTheTable() {
        RouteTable t = RouteTable.builder().routeTableId("rtb-main").vpcId("vpc-1").ownerId("1")
                .associations(RouteTableAssociation.builder().main(true).routeTableAssociationId("rtbassoc-m").build(),
                        RouteTableAssociation.builder().main(false).subnetId("subnet-a").routeTableAssociationId("rtbassoc-a").build())
                .propagatingVgws(PropagatingVgw.builder().gatewayId("vgw-1").build())
                .build();
        ObjectNode p = TYPE.translate(CTX, "rt", t).properties();
        assertEquals(Json.MAPPER.valueToTree(List.of("subnet-a")), p.get("subnets"));
        assertEquals(Json.MAPPER.valueToTree(List.of("vgw-1")), p.get("propagateFrom"));
        assertEquals(0, p.get("routes").size());
    }

    @Test
    void requestsNameTheTargetByItsKind() {
        CreateRouteRequest igw = RouteTableRoutes.createRequest("rtb-1", "0.0.0.0/0", "igw-1");
        assertEquals("igw-1", igw.gatewayId());
        assertEquals("0.0.0.0/0", igw.destinationCidrBlock());
        CreateRouteRequest eigw = RouteTableRoutes.createRequest("rtb-1", "::/0", "eigw-1");
        assertEquals("eigw-1", eigw.egressOnlyInternetGatewayId());
        assertNull(eigw.gatewayId(), "eigw- is not read as igw-");
        assertEquals("::/0", eigw.destinationIpv6CidrBlock());
        assertEquals("vgw-1", RouteTableRoutes.createRequest("rtb-1", "10.0.0.0/8", "vgw-1").gatewayId());
        assertEquals("nat-1", RouteTableRoutes.createRequest("rtb-1", "10.0.0.0/8", "nat-1").natGatewayId());
        assertEquals("pcx-1", RouteTableRoutes.createRequest("rtb-1", "10.0.0.0/8", "pcx-1").vpcPeeringConnectionId());
        assertEquals("tgw-1", RouteTableRoutes.createRequest("rtb-1", "10.0.0.0/8", "tgw-1").transitGatewayId());
        assertEquals("vpce-1", RouteTableRoutes.createRequest("rtb-1", "10.0.0.0/8", "vpce-1").vpcEndpointId());
        CreateRouteRequest eni = RouteTableRoutes.createRequest("rtb-1", "pl-1", "eni-1");
        assertEquals("eni-1", eni.networkInterfaceId());
        assertEquals("pl-1", eni.destinationPrefixListId());
        assertEquals("eigw-2", RouteTableRoutes.replaceRequest("rtb-1", "::/0", "eigw-2").egressOnlyInternetGatewayId());
        assertEquals("::/0", RouteTableRoutes.deleteRequest("rtb-1", "::/0").destinationIpv6CidrBlock());
    }

    // ------------------------------------------------------------------ ordering

    @Test
    void aRouteToATransitGatewayWaitsForThisVpcsAttachment() {
        List<ResourceView> views = List.of(
                view("tgw", "transit-gateway", "{}"),
                view("att", "transit-gateway-attachment", "{\"transitGateway\": \"${tgw}\", \"vpc\": \"${vpc}\"}"),
                view("att-other", "transit-gateway-attachment", "{\"transitGateway\": \"${tgw}\", \"vpc\": \"${other}\"}"),
                view("att-literal", "transit-gateway-attachment", "{\"transitGateway\": \"tgw-9\", \"vpc\": \"${vpc}\"}"));
        ResourceView rt = view("rt", "route-table", "{\"vpc\": \"${vpc}\", \"routes\": [{\"destination\": \"10.0.0.0/8\", \"target\": \"${tgw}\"},"
                + " {\"destination\": \"10.1.0.0/16\", \"target\": \"tgw-9\"}, {\"destination\": \"0.0.0.0/0\", \"target\": \"igw-1\"}]}");
        List<ResourceView> all = new ArrayList<>(views);
        all.add(rt);
        assertEquals(Set.of("att", "att-literal"), TYPE.implicitDependencies(rt, References.view(all)));
    }

    /**
     * The split: the shared table keeps a and gives b to a new table whose route needs a
     * new NAT gateway. b is handed over (the shared table's update is told to leave it), and the
     * shared table's update is not held back until the NAT gateway exists — nor is anything
     * ordered between the two tables, which a swap would turn into a cycle.
     */
    @Test
    void aSplitHandsTheMovedSubnetToTheNewTableWithoutHoldingTheOldTableBack() {
        assertEquals(Set.of("subnets"), TYPE.exclusiveLists());
        List<Change> changes = List.of(
                change("a", "subnet", Action.NOOP, "{}", "subnet-a", "{}"),
                change("b", "subnet", Action.NOOP, "{}", "subnet-b", "{}"),
                change("nat-b", "nat-gateway", Action.CREATE, "{\"subnet\": \"${b}\"}", null, null),
                change("shared", "route-table", Action.UPDATE, "{\"vpc\": \"vpc-1\", \"subnets\": [\"${a}\"]}", "rtb-1",
                        "{\"vpc\": \"vpc-1\", \"subnets\": [\"subnet-a\", \"subnet-b\"]}"),
                change("rt-b", "route-table", Action.CREATE, "{\"vpc\": \"vpc-1\", \"subnets\": [\"${b}\"],"
                        + " \"routes\": [{\"destination\": \"0.0.0.0/0\", \"target\": \"${nat-b}\"}]}", null, null));
        assertEquals(List.of(new HandOver("route-table", "subnets", "shared", "rt-b", "subnet-b")), HandOver.of(changes, TYPES));
        DependencyGraph<Step> g = ExecutionOrder.graph(changes, TYPES);
        Step nat = step(g, "nat-b:create"), created = step(g, "rt-b:create"), shared = step(g, "shared:update");
        assertTrue(g.hasPath(nat, created), "the new table (routes, then subnets) comes after its NAT gateway");
        assertTrue(!g.hasPath(nat, shared) && !g.hasPath(created, shared) && !g.hasPath(shared, created), "the two tables are not ordered");
    }

    /** A change with desired properties (null: none) and, when {@code awsId} is given, a live object. */
    static Change change(String id, String type, Action a, String desired, String awsId, String live) {
        ObjectNode d = desired == null ? null : view(id, type, desired).properties();
        LiveResource l = awsId == null ? null : new LiveResource(id, type, awsId, view(id, type, live).properties(), Map.of());
        return new Change(id, type, a, List.of(), List.of(), d, l);
    }

    static Step step(DependencyGraph<Step> g, String key) {
        return g.nodes().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError(key + " not in " + g.nodes()));
    }

    static ResourceView view(String id, String type, String props) {
        try {
            return new ResourceView(id, type, (ObjectNode) Json.MAPPER.readTree(props));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    static TypeRegistry registry(ResourceType... types) {
        Map<String, ResourceType> m = new LinkedHashMap<>();
        for (ResourceType t : types) m.put(t.name(), t);
        return new TypeRegistry() {
            @Override public Optional<ResourceType> find(String name) { return Optional.ofNullable(m.get(name)); }
            @Override public Collection<ResourceType> all() { return m.values(); }
        };
    }
}
