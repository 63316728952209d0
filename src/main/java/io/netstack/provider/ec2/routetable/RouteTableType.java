package io.netstack.provider.ec2.routetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Cidr;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.PropagatingVgw;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code route-table}: the VPC is create-only; subnet associations, routes and VGW route
 * propagation are children of the table (DESIGN.md principle 4) and change in place.
 *
 * <ul>
 *   <li>Reads: one paginated, tag-filtered DescribeRouteTables. Routes and associations come
 *       inside it (aws-facts.md); {@code routes} holds only routes made by CreateRoute (see
 *       {@link RouteTableRoutes}), {@code subnets} only explicit subnet associations (never the
 *       VPC's implicit {@code main} association), {@code propagateFrom} the PropagatingVgws.</li>
 *   <li>Routes are keyed by destination: a new destination is CreateRoute, a new target for a
 *       known destination is ReplaceRoute (atomic: no window without the route), a dropped
 *       destination is DeleteRoute — in that order, so traffic never loses a path it keeps.</li>
 *   <li>A subnet has at most one explicit association. Adding a subnet that is explicitly
 *       associated with another table of this stack moves it with ReplaceRouteTableAssociation
 *       (one step, no window on the main table). A subnet held by a table that this stack does
 *       not own is refused: that association belongs to someone else (principle 1).</li>
 *   <li>Delete: every association is removed first (AWS refuses to delete an associated table),
 *       then DeleteRouteTable, retrying DependencyViolation. The VPC's main table is never
 *       deleted: AWS refuses, and netstack says so at once instead of retrying.</li>
 * </ul>
 */
public final class RouteTableType extends Ec2Type {
    /**
     * Terraform aws_route_table: delete timeout 5 m; DependencyViolation persists while a
     * disassociation or a gateway endpoint's route removal propagates.
     */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Terraform waits for every route it writes to be readable (WaitRouteReady) within the
     * resource's create/update timeout; EC2 eventual consistency is bounded at about 5 min
     * (aws-facts.md), which is {@link Ec2Type#PROPAGATION_TIMEOUT}.
     */
    static final Duration VISIBLE_TIMEOUT = PROPAGATION_TIMEOUT;
    /**
     * Amazon VPC quotas: 50 non-propagated routes per route table (adjustable up to 1,000),
     * enforced separately for IPv4 and IPv6 routes; a prefix list counts with its max entries.
     */
    static final int MAX_ROUTES_PER_FAMILY = 50;
    /**
     * Moving a subnet between two tables of one apply can race (both tables' updates run in
     * parallel): each lost race (association id gone, or subnet already associated) re-reads
     * the subnet's association and tries again, a few times.
     */
    static final int ASSOCIATE_ATTEMPTS = 5;
    /** EnableVgwRoutePropagation before the VGW's attachment is complete (Terraform retries this code). */
    static final String GATEWAY_NOT_ATTACHED = "Gateway.NotAttached";
    /** The well-known NAT64 prefix (RFC 6052): the only IPv6 destination a NAT gateway takes. */
    static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    private static final Schema SCHEMA = new Schema(true, List.of("arn"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))).defaultEmptyList()
                    .describe("subnets explicitly associated with this table (the others use the VPC's main table)"),
            Property.list("routes", Property.object("route",
                    Property.string("destination").required().describe("IPv4 or IPv6 CIDR, or a prefix list id pl-…"),
                    Property.ref("target", List.copyOf(RouteTableRoutes.TARGET_TYPES.keySet()), RouteTableRoutes.TARGET_PREFIXES).required()
                            .describe("internet, egress-only internet, NAT, transit or VPN gateway, VPC peering, Gateway Load Balancer endpoint, or network interface (eni-…)")))
                    .defaultEmptyList(),
            Property.list("propagateFrom", Property.ref("vpnGateway", List.of("vpn-gateway"), List.of("vgw-"))).defaultEmptyList()
                    .describe("virtual private gateways whose BGP routes propagate into this table"));

    public RouteTableType(AwsSession aws) {
        super(aws);
    }

    @Override
    public String name() {
        return "route-table";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode routes = p.get("routes");
        if (routes != null && routes.isArray()) {
            ArrayNode out = p.arrayNode();
            for (JsonNode r : routes) out.add(r.isObject() ? RouteTableRoutes.canonical(r) : r);
            p.set("routes", out);
        }
        return p;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode vpc = b.properties().get("vpc");
        validateRoutes(b, v, b.properties().get("routes"), vpc);
        validateSubnets(b, v, b.properties().get("subnets"), vpc);
        validatePropagation(b, v, b.properties().get("propagateFrom"), vpc);
    }

    private void validateRoutes(ResourceBlock b, Validation v, JsonNode routes, JsonNode vpc) {
        if (routes == null || !routes.isArray()) return;
        Map<String, Integer> seen = new HashMap<>();
        int v4 = 0, v6 = 0;
        for (int i = 0; i < routes.size(); i++) {
            JsonNode r = routes.get(i);
            String at = "/routes/" + i;
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
                if (comparable(gwVpc, vpc) && !gwVpc.asText().equals(vpc.asText())) {
                    v.error(b, at + "/target", what + " is attached to " + gwVpc.asText() + ", not to this table's VPC " + vpc.asText()
                            + " (AWS: the route table and network gateway belong to different networks)");
                }
            }
        }
        if (v4 > MAX_ROUTES_PER_FAMILY || v6 > MAX_ROUTES_PER_FAMILY) {
            v.warning(b, "/routes", "more than " + MAX_ROUTES_PER_FAMILY + " " + (v6 > MAX_ROUTES_PER_FAMILY ? "IPv6" : "IPv4")
                    + " routes exceeds the default quota of " + MAX_ROUTES_PER_FAMILY + " routes per route table (adjustable)");
        }
    }

    private void validateSubnets(ResourceBlock b, Validation v, JsonNode subnets, JsonNode vpc) {
        if (subnets == null || !subnets.isArray()) return;
        Map<String, Integer> mine = new HashMap<>();
        for (int i = 0; i < subnets.size(); i++) {
            JsonNode s = subnets.get(i);
            String at = "/subnets/" + i;
            String text = s.asText();
            Integer prev = mine.putIfAbsent(text, i);
            if (prev != null) {
                v.error(b, at, text + " is listed twice (subnets[" + prev + "])");
                continue;
            }
            Optional<ResourceBlock> sb = v.target(s);
            if (sb.isPresent()) {
                JsonNode subnetVpc = sb.get().properties().get("vpc");
                if (comparable(subnetVpc, vpc) && !subnetVpc.asText().equals(vpc.asText())) {
                    v.error(b, at, "subnet " + sb.get().id() + " is in " + subnetVpc.asText() + ", not in this table's VPC " + vpc.asText());
                }
            }
            // A subnet has one route table: report the second claim, on the later table.
            for (ResourceBlock other : v.blocksOfType(name())) {
                if (other.id().equals(b.id())) break;
                if (!other.type().equals(name())) continue;
                for (JsonNode os : other.properties().path("subnets")) {
                    if (os.asText().equals(text)) {
                        v.error(b, at, text + " is already associated with route table " + other.id() + " (a subnet has exactly one route table)");
                    }
                }
            }
        }
    }

    private void validatePropagation(ResourceBlock b, Validation v, JsonNode vgws, JsonNode vpc) {
        if (vgws == null || !vgws.isArray()) return;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < vgws.size(); i++) {
            JsonNode g = vgws.get(i);
            Integer prev = seen.putIfAbsent(g.asText(), i);
            if (prev != null) v.error(b, "/propagateFrom/" + i, g.asText() + " is listed twice (propagateFrom[" + prev + "])");
            Optional<ResourceBlock> gb = v.target(g);
            if (gb.isEmpty()) continue;
            JsonNode gwVpc = gb.get().properties().get("vpc");
            if (gwVpc == null || gwVpc.isNull()) {
                v.error(b, "/propagateFrom/" + i, gb.get().id() + " has no vpc: a VPN gateway propagates routes only into tables of the VPC it is attached to");
            } else if (comparable(gwVpc, vpc) && !gwVpc.asText().equals(vpc.asText())) {
                v.error(b, "/propagateFrom/" + i, gb.get().id() + " is attached to " + gwVpc.asText() + ", not to this table's VPC " + vpc.asText());
            }
        }
    }

    /** Two VPC values name the same thing comparably: both {@code ${id}} references, or both literal ids. */
    static boolean comparable(JsonNode a, JsonNode b) {
        if (a == null || b == null || !a.isTextual() || !b.isTextual()) return false;
        boolean ra = ResourceView.refOf(a).isPresent(), rb = ResourceView.refOf(b).isPresent();
        boolean la = !Reference.containsReference(a.asText()), lb = !Reference.containsReference(b.asText());
        return ra && rb || la && lb;
    }

    // ---------------------------------------------------------------- ordering

    /**
     * A route to a transit gateway needs this VPC's attachment to that gateway to be available
     * (DESIGN.md principle 5; AWS answers InvalidTransitGatewayID.NotFound before): the table
     * comes after every transit-gateway-attachment in the stack that joins the same gateway and VPC.
     */
    @Override
    public Set<String> implicitDependencies(ResourceView self, StackView stack) {
        Set<String> out = new TreeSet<>();
        JsonNode routes = self.properties().get("routes");
        String vpc = self.text("vpc");
        if (routes == null || !routes.isArray() || vpc == null) return out;
        for (JsonNode r : routes) {
            String target = r.path("target").asText("");
            boolean tgw = target.startsWith("tgw-") || ResourceView.refOf(r.get("target")).flatMap(stack::get)
                    .map(t -> t.type().equals("transit-gateway")).orElse(false);
            if (!tgw) continue;
            stack.ofType("transit-gateway-attachment")
                    .filter(a -> target.equals(a.text("transitGateway")) && vpc.equals(a.text("vpc")))
                    .forEach(a -> out.add(a.id()));
        }
        return out;
    }

    // ---------------------------------------------------------------- read

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource) {
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(resource, "DescribeRouteTables", () -> ec2().describeRouteTablesPaginator(r -> r.filters(filters)).routeTables().forEach(t ->
                Ec2Tags.ownedId(t.tags(), ctx.stack()).ifPresent(id -> out.add(translate(ctx, id, t)))));
        return out;
    }

    LiveResource translate(TypeContext ctx, String id, RouteTable t) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", t.vpcId());
        ArrayNode subnets = p.putArray("subnets");
        for (RouteTableAssociation a : t.associations()) {
            if (!Boolean.TRUE.equals(a.main()) && a.subnetId() != null && active(a)) subnets.add(a.subnetId());
        }
        p.set("routes", RouteTableRoutes.fromAws(t.routes()));
        ArrayNode vgws = p.putArray("propagateFrom");
        for (PropagatingVgw g : t.propagatingVgws()) if (g.gatewayId() != null) vgws.add(g.gatewayId());
        p.set("tags", Ec2Tags.userTags(t.tags()));
        return new LiveResource(id, name(), t.routeTableId(), p, Map.of(
                "arn", "arn:aws:ec2:" + ctx.region() + ":" + t.ownerId() + ":route-table/" + t.routeTableId()));
    }

    /**
     * Route tables in the owned VPCs without netstack's tags (drift). The VPC's main table is
     * AWS's own and is not reported: netstack never owns it (routes added to it are not seen).
     */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        List<Unmanaged> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeRouteTables", () -> ec2().describeRouteTablesPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).routeTables().forEach(t -> {
            if (Ec2Tags.hasOwnership(t.tags()) || t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main()))) return;
            List<String> subnets = t.associations().stream().filter(RouteTableType::active).map(RouteTableAssociation::subnetId).filter(x -> x != null).sorted().toList();
            out.add(new Unmanaged(name(), t.routeTableId(), t.vpcId(), "route table with " + RouteTableRoutes.fromAws(t.routes()).size() + " route(s)"
                    + (subnets.isEmpty() ? "" : ", associated with " + String.join(", ", subnets))));
        }));
        return out;
    }

    /** Associations on their way out do not count; no state at all (some backends) means associated. */
    static boolean active(RouteTableAssociation a) {
        if (a.associationState() == null || a.associationState().stateAsString() == null) return true;
        String s = a.associationState().stateAsString();
        return s.equals("associated") || s.equals("associating");
    }

    private Optional<RouteTable> describe(String id, String tableId) {
        return find(id, "DescribeRouteTables", () -> ec2().describeRouteTables(r -> r.routeTableIds(tableId)).routeTables())
                .filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    private LiveResource readOne(TypeContext ctx, String id, String tableId) {
        return readBack(ctx, id, tableId, () -> describe(id, tableId).map(t -> List.of(translate(ctx, id, t))).orElse(List.of()));
    }

    // ---------------------------------------------------------------- create / update

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String vpcId = spec.text("vpc");
        RouteTable t = mutate(ctx, id, "CreateRouteTable", () -> ec2().createRouteTable(r -> r
                .vpcId(vpcId)
                .clientToken(spec.clientToken())
                .tagSpecifications(Ec2Tags.spec(ResourceType.ROUTE_TABLE, spec.tags())))).routeTable();
        LiveResource live = readOne(ctx, id, t.routeTableId());
        return update(ctx, live, spec, Set.of("propagateFrom", "routes", "subnets"));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), tableId = live.awsId();
        boolean touched = false;
        if (changed.contains("propagateFrom")) touched |= syncPropagation(ctx, id, tableId, texts(spec.properties().get("propagateFrom")), texts(live.properties().get("propagateFrom")));
        if (changed.contains("routes")) touched |= syncRoutes(ctx, id, tableId, spec.properties().get("routes"), live.properties().get("routes"));
        if (changed.contains("subnets")) touched |= syncSubnets(ctx, id, tableId, texts(spec.properties().get("subnets")), texts(live.properties().get("subnets")));
        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), id, tableId, live.properties().get("tags"), spec.properties().get("tags"));
            touched = true;
        }
        if (!touched) return live;
        Map<String, String> wantRoutes = RouteTableRoutes.byDestination(spec.properties().get("routes"));
        Set<String> wantSubnets = texts(spec.properties().get("subnets"));
        ctx.waiter().until(id, "routes and associations of " + tableId + " visible", VISIBLE_TIMEOUT, Set.of("visible"), Set.of(), () -> {
            Optional<RouteTable> now = describe(id, tableId);
            if (now.isEmpty()) return new Waiter.Outcome("not visible yet", null);
            ObjectNode p = translate(ctx, id, now.get()).properties();
            boolean routesOk = !changed.contains("routes") || RouteTableRoutes.byDestination(p.get("routes")).equals(wantRoutes);
            boolean subnetsOk = !changed.contains("subnets") || texts(p.get("subnets")).equals(wantSubnets);
            return new Waiter.Outcome(routesOk && subnetsOk ? "visible" : "propagating", null);
        });
        return readOne(ctx, id, tableId);
    }

    /** Replace changed targets, create new destinations, then delete dropped ones. */
    private boolean syncRoutes(TypeContext ctx, String id, String tableId, JsonNode want, JsonNode have) {
        Map<String, String> w = RouteTableRoutes.byDestination(want), h = RouteTableRoutes.byDestination(have);
        boolean touched = false;
        for (Map.Entry<String, String> e : w.entrySet()) {
            String dest = e.getKey(), target = e.getValue();
            if (h.containsKey(dest)) {
                if (h.get(dest).equals(target)) continue;
                mutateRun(ctx, id, "ReplaceRoute", () -> ec2().replaceRoute(RouteTableRoutes.replaceRequest(tableId, dest, target)));
            } else {
                try {
                    mutateRun(ctx, id, "CreateRoute", () -> ec2().createRoute(RouteTableRoutes.createRequest(tableId, dest, target)));
                } catch (AwsFailure f) {
                    // The route appeared since the table was read (e.g. an earlier attempt whose response was lost).
                    if (!"RouteAlreadyExists".equals(f.code())) throw f;
                    mutateRun(ctx, id, "ReplaceRoute", () -> ec2().replaceRoute(RouteTableRoutes.replaceRequest(tableId, dest, target)));
                }
            }
            touched = true;
        }
        for (String dest : h.keySet()) {
            if (w.containsKey(dest)) continue;
            find(id, "DeleteRoute", () -> ec2().deleteRoute(RouteTableRoutes.deleteRequest(tableId, dest)));
            touched = true;
        }
        return touched;
    }

    private boolean syncPropagation(TypeContext ctx, String id, String tableId, Set<String> want, Set<String> have) {
        boolean touched = false;
        for (String vgw : want) {
            if (have.contains(vgw)) continue;
            ctx.retrying(id, "EnableVgwRoutePropagation", Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> {
                try {
                    AwsCalls.run(id, "EnableVgwRoutePropagation", () -> ec2().enableVgwRoutePropagation(r -> r.routeTableId(tableId).gatewayId(vgw)));
                } catch (AwsFailure f) {
                    // The VGW's attachment to the VPC is still completing: wait for it like for a new id.
                    if (GATEWAY_NOT_ATTACHED.equals(f.code())) {
                        throw new AwsFailure(ErrorCategory.NOT_FOUND, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f);
                    }
                    throw f;
                }
                return null;
            });
            touched = true;
        }
        for (String vgw : have) {
            if (want.contains(vgw)) continue;
            find(id, "DisableVgwRoutePropagation", () -> ec2().disableVgwRoutePropagation(r -> r.routeTableId(tableId).gatewayId(vgw)));
            touched = true;
        }
        return touched;
    }

    private boolean syncSubnets(TypeContext ctx, String id, String tableId, Set<String> want, Set<String> have) {
        Set<String> add = new TreeSet<>(want), remove = new TreeSet<>(have);
        add.removeAll(have);
        remove.removeAll(want);
        if (add.isEmpty() && remove.isEmpty()) return false;
        if (!remove.isEmpty()) {
            // Association ids from a fresh read: another table of this apply may have taken a subnet already.
            RouteTable now = describe(id, tableId).orElseThrow(() -> gone(id, tableId));
            for (RouteTableAssociation a : now.associations()) {
                if (Boolean.TRUE.equals(a.main()) || a.subnetId() == null || !remove.contains(a.subnetId())) continue;
                find(id, "DisassociateRouteTable", () -> ec2().disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId())));
            }
        }
        for (String subnetId : add) associate(ctx, id, tableId, subnetId);
        return true;
    }

    /** The explicit association of a subnet, wherever it is. */
    private record Held(String tableId, String associationId, List<Tag> tableTags) {}

    private Optional<Held> explicitAssociation(String id, String subnetId) {
        List<RouteTable> tables = new ArrayList<>();
        AwsCalls.run(id, "DescribeRouteTables", () -> ec2().describeRouteTablesPaginator(r -> r.filters(Ec2Tags.filter("association.subnet-id", subnetId)))
                .routeTables().forEach(tables::add));
        for (RouteTable t : tables) {
            for (RouteTableAssociation a : t.associations()) {
                if (!Boolean.TRUE.equals(a.main()) && subnetId.equals(a.subnetId()) && active(a)) {
                    return Optional.of(new Held(t.routeTableId(), a.routeTableAssociationId(), t.tags()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Associates a subnet with this table: AssociateRouteTable if it has no explicit association,
     * ReplaceRouteTableAssociation if another table of this stack holds it (a move, in one step).
     */
    private void associate(TypeContext ctx, String id, String tableId, String subnetId) {
        for (int attempt = 1; ; attempt++) {
            Optional<Held> held = explicitAssociation(id, subnetId);
            try {
                if (held.isEmpty()) {
                    mutate(ctx, id, "AssociateRouteTable", () -> ec2().associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId)));
                    return;
                }
                Held h = held.get();
                if (h.tableId().equals(tableId)) return;
                if (Ec2Tags.ownedId(h.tableTags(), ctx.stack()).isEmpty()) {
                    throw new AwsFailure(ErrorCategory.CONFLICT, id, "ReplaceRouteTableAssociation", null, null,
                            subnetId + " is associated with route table " + h.tableId() + ", which " + owner(h.tableTags())
                                    + "; netstack does not take a subnet from a table it does not own: remove the association there first", null);
                }
                AwsCalls.run(id, "ReplaceRouteTableAssociation", () -> ec2().replaceRouteTableAssociation(r -> r.associationId(h.associationId()).routeTableId(tableId)));
                return;
            } catch (AwsFailure f) {
                boolean raced = held.isPresent() && f.category() == ErrorCategory.NOT_FOUND && "ReplaceRouteTableAssociation".equals(f.action())
                        || "Resource.AlreadyAssociated".equals(f.code());
                if (!raced || attempt >= ASSOCIATE_ATTEMPTS) throw f;
            }
        }
    }

    static String owner(List<Tag> tags) {
        for (Tag t : tags) if (Ownership.STACK_TAG.equals(t.key())) return "belongs to netstack stack " + t.value();
        return "netstack does not manage";
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), tableId = live.awsId();
        Optional<RouteTable> t = describe(id, tableId);
        if (t.isEmpty()) return;
        for (RouteTableAssociation a : t.get().associations()) {
            if (Boolean.TRUE.equals(a.main())) {
                throw new AwsFailure(ErrorCategory.CONFLICT, id, "DeleteRouteTable", null, null,
                        tableId + " is the main route table of " + t.get().vpcId() + " (made main outside netstack); AWS cannot delete a main table: make another table main first", null);
            }
        }
        for (RouteTableAssociation a : t.get().associations()) {
            find(id, "DisassociateRouteTable", () -> ec2().disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId())));
        }
        delete(ctx, id, "DeleteRouteTable", DELETE_TIMEOUT, () -> ec2().deleteRouteTable(r -> r.routeTableId(tableId)));
        ctx.waiter().until(id, "route table " + tableId + " deleted", DELETE_TIMEOUT, Set.of(Waiter.GONE), Set.of(), () ->
                describe(id, tableId).map(x -> new Waiter.Outcome("exists", null)).orElse(new Waiter.Outcome(Waiter.GONE, null)));
    }

    static Set<String> texts(JsonNode list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null && list.isArray()) for (JsonNode n : list) out.add(n.asText());
        return out;
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeRouteTables"),
                java.util.List.of("ec2:AssociateRouteTable", "ec2:CreateRoute", "ec2:CreateRouteTable", "ec2:CreateTags", "ec2:EnableVgwRoutePropagation", "ec2:ReplaceRoute", "ec2:ReplaceRouteTableAssociation"),
                java.util.List.of("ec2:AssociateRouteTable", "ec2:CreateRoute", "ec2:CreateTags", "ec2:DeleteRoute", "ec2:DeleteTags", "ec2:DisableVgwRoutePropagation", "ec2:DisassociateRouteTable", "ec2:EnableVgwRoutePropagation", "ec2:ReplaceRoute", "ec2:ReplaceRouteTableAssociation"),
                java.util.List.of("ec2:DeleteRoute", "ec2:DeleteRouteTable", "ec2:DisableVgwRoutePropagation", "ec2:DisassociateRouteTable"),
                java.util.List.of("ec2:DescribeRouteTables"));
    }
}
