package io.netstack.provider.ec2.routetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.SubnetClaims;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.PropagatingVgw;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

/**
 * {@code route-table}: the VPC is create-only; subnet associations, routes and VGW route
 * propagation are children of the table (docs/DESIGN.md principle 4) and change in place.
 *
 * <ul>
 *   <li>Reads: one paginated, tag-filtered DescribeRouteTables. Routes and associations come
 *       inside it (docs/aws-facts.md); {@code routes} holds only routes made by CreateRoute (see
 *       {@link RouteTableRoutes}), {@code subnets} only explicit subnet associations (never the
 *       VPC's implicit {@code main} association), {@code propagateFrom} the PropagatingVgws.</li>
 *   <li>Routes are keyed by destination: a new destination is CreateRoute, a new target for a
 *       known destination is ReplaceRoute (atomic: no window without the route), a dropped
 *       destination is DeleteRoute — in that order, so traffic never loses a path it keeps.</li>
 *   <li>A subnet has at most one explicit association ({@link #exclusiveLists}). Re-wiring never
 *       strands a subnet on the VPC's main table: the table that takes a subnet from another
 *       table of this stack moves it with one ReplaceRouteTableAssociation, after its own routes
 *       are in place and readable; the table that gives it up leaves it alone
 *       ({@code TypeContext.handedOver}); a table deleted while its subnets move is deleted only
 *       after their new tables took them (engine: {@code HandOver}). Only a subnet that no table
 *       claims any more is disassociated (to the main table). A subnet held by a table that this
 *       stack does not own is refused: that association belongs to someone else (principle 1).
 *       The verbs are in {@link RouteTableSync}.</li>
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
     * (docs/aws-facts.md), which is {@link Ec2Type#PROPAGATION_TIMEOUT}.
     */
    static final Duration VISIBLE_TIMEOUT = PROPAGATION_TIMEOUT;

    /** A route table has no state: existing is all there is to know. */
    static final Status<RouteTable> STATE = Status.exists();
    static final Deletion DELETION = Deletion.of("DeleteRouteTable", DELETE_TIMEOUT, "InvalidRouteTableID.NotFound");

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

    private final RouteTableSync sync;

    private final Reads<RouteTable> reads = reads("DescribeRouteTables", f -> ec2().describeRouteTablesPaginator(r -> r.filters(f)).routeTables(),
            RouteTable::routeTableId, RouteTable::tags, this::translate);

    public RouteTableType(AwsSession aws) {
        super(aws, "route-table", "route table", SCHEMA);
        sync = new RouteTableSync(aws);
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
        RouteTableRoutes.validate(b, v, b.properties().get("routes"), vpc);
        SubnetClaims.validate(b, v, "route table", "this table's");
        validatePropagation(b, v, b.properties().get("propagateFrom"), vpc);
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
            } else if (SubnetClaims.comparable(gwVpc, vpc) && !gwVpc.asText().equals(vpc.asText())) {
                v.error(b, "/propagateFrom/" + i, gb.get().id() + " is attached to " + gwVpc.asText() + ", not to this table's VPC " + vpc.asText());
            }
        }
    }

    // ---------------------------------------------------------------- ordering

    /**
     * A route to a transit gateway needs this VPC's attachment to that gateway to be available
     * (docs/DESIGN.md principle 5; AWS answers InvalidTransitGatewayID.NotFound before): the table
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

    /** A subnet has one route table: moving it between tables is a hand-over (see RouteTableSync). */
    @Override
    public Set<String> exclusiveLists() {
        return Set.of("subnets");
    }

    // ---------------------------------------------------------------- read

    /**
     * Every route table of the VPCs but their main tables (those are the vpc block's
     * {@code mainRouteTable}), from the read shared with the vpc type ({@link #inVpcs}).
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> inVpcs(ec2(), scope), t -> !main(t));
    }

    /** Whether {@code t} is its VPC's main route table. */
    public static boolean main(RouteTable t) {
        return t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main()));
    }

    /** The route tables of the import's VPCs: one paginated DescribeRouteTables, shared by the vpc type. */
    public static List<RouteTable> inVpcs(software.amazon.awssdk.services.ec2.Ec2Client ec2, io.netstack.spi.ImportScope scope) {
        return importRead(scope, "DescribeRouteTables", () -> ec2.describeRouteTablesPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", scope.vpcIds()))).routeTables());
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
        return new LiveResource(id, name(), t.routeTableId(), p, Map.of("arn", arn(ctx, t.ownerId(), "route-table", t.routeTableId())));
    }

    /**
     * Route tables in the owned VPCs without netstack's tags (drift). The VPC's main table is
     * AWS's own and is not reported: netstack never owns it (routes added to it are not seen).
     */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, reads, "vpc-id", t -> {
            if (main(t)) return Optional.empty();
            List<String> subnets = t.associations().stream().filter(RouteTableType::active).map(RouteTableAssociation::subnetId).filter(x -> x != null).sorted().toList();
            return Optional.of(new Unmanaged(name(), t.routeTableId(), t.vpcId(), "route table with " + RouteTableRoutes.fromAws(t.routes()).size() + " route(s)"
                    + (subnets.isEmpty() ? "" : ", associated with " + String.join(", ", subnets))));
        });
    }

    /** Associations on their way out do not count; no state at all (some backends) means associated. */
    static boolean active(RouteTableAssociation a) {
        if (a.associationState() == null || a.associationState().stateAsString() == null) return true;
        String s = a.associationState().stateAsString();
        return s.equals("associated") || s.equals("associating");
    }

    private Optional<RouteTable> findTable(String id, String tableId) {
        return findBatched(id, reads, "route-table-id", tableId, null, DELETED);
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
        // A new table is what the create answered (its local route, no associations, its tags): no read-back (issue 12).
        LiveResource live = translate(ctx, id, t);
        // No ensureExists: the table was created a moment ago and may not be visible yet (EC2
        // eventual consistency); the writes below retry its NotFound (docs/aws-facts.md).
        return modify(ctx, live, spec, Set.of("propagateFrom", "routes", "subnets"), true);
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        ensureExists(spec.id(), live.awsId(), () -> findTable(spec.id(), live.awsId()));
        return modify(ctx, live, spec, changed, false);
    }

    /**
     * {@link #update} of a table known to exist, or just created ({@code created}: {@code live} is
     * what CreateRouteTable answered, and no one else has touched the table).
     */
    private LiveResource modify(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed, boolean created) {
        String id = spec.id(), tableId = live.awsId();
        // Subnets that another table of this apply takes over stay here until it takes them with
        // one ReplaceRouteTableAssociation: releasing them would leave them on the main table.
        SubnetClaims.Claim subnets = SubnetClaims.Claim.of(ctx, id, spec.properties().get("subnets"), live.properties().get("subnets"));
        Map<String, String> wantRoutes = RouteTableRoutes.byDestination(spec.properties().get("routes"));
        boolean touched = false;
        if (changed.contains("propagateFrom")) touched |= sync.propagation(ctx, id, tableId, SubnetClaims.texts(spec.properties().get("propagateFrom")), SubnetClaims.texts(live.properties().get("propagateFrom")));
        if (changed.contains("routes") && sync.routes(ctx, id, tableId, spec.properties().get("routes"), live.properties().get("routes"))) {
            touched = true;
            // A subnet joins only once every route of its new table is in place (readable).
            // Not for subnets this session created moments ago (issue 12): they carry no traffic yet.
            if (changed.contains("subnets") && subnets.joining(aws::fresh)) awaitVisible(ctx, id, tableId, wantRoutes, null, subnets.handedOver());
        }
        Set<String> unsettled = new TreeSet<>();
        if (changed.contains("subnets")) touched |= sync.subnets(ctx, id, tableId, subnets.want(), subnets.have(), () -> findTable(id, tableId), unsettled);
        boolean tagged = syncTags(live, spec, changed);
        touched |= tagged;
        if (!touched) return live;
        if (created && !tagged && unsettled.isEmpty()) {
            // A new table is what its writes answered (issue 12): CreateRouteTable returned it, each
            // CreateRoute succeeded, each AssociateRouteTable answered "associated". A read now
            // would only wait out EC2's read lag (docs/aws-facts.md), and one read that sees the
            // writes does not promise the next will; should a plan still miss a route or an
            // association, applying it finds it in place (RouteAlreadyExists, the subnet already here).
            return withListsWritten(live, spec, List.of("routes", "subnets", "propagateFrom"));
        }
        // The wait's last answer is the table as written: no read-back after it (issue 12).
        RouteTable last = awaitVisible(ctx, id, tableId, changed.contains("routes") ? wantRoutes : null, changed.contains("subnets") ? subnets.want() : null, subnets.handedOver());
        return translate(ctx, id, last);
    }

    /**
     * Waits until the routes (unless null) and subnets (unless null; handed-over ones aside) read back as written.
     *
     * @return the table as the wait last read it
     */
    private RouteTable awaitVisible(TypeContext ctx, String id, String tableId, Map<String, String> routes, Set<String> subnets, Set<String> handedOver) {
        return awaitWritten(ctx, id, "routes and associations of " + tableId + " visible", VISIBLE_TIMEOUT, () -> findTable(id, tableId), t -> {
            ObjectNode p = translate(ctx, id, t).properties();
            return (routes == null || RouteTableRoutes.byDestination(p.get("routes")).equals(routes))
                    && SubnetClaims.readAsWanted(p.get("subnets"), subnets, handedOver);
        });
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), tableId = live.awsId();
        Optional<RouteTable> t = findTable(id, tableId);
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
        deleteAndWaitGone(ctx, id, tableId, DELETION, () -> ec2().deleteRouteTable(r -> r.routeTableId(tableId)), () -> findTable(id, tableId), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION,
                List.of("AssociateRouteTable", "CreateRoute", "CreateRouteTable", "EnableVgwRoutePropagation", "ReplaceRoute", "ReplaceRouteTableAssociation"),
                List.of("AssociateRouteTable", "CreateRoute", "DeleteRoute", "DisableVgwRoutePropagation", "DisassociateRouteTable", "EnableVgwRoutePropagation", "ReplaceRoute", "ReplaceRouteTableAssociation"),
                List.of("DeleteRoute", "DisableVgwRoutePropagation", "DisassociateRouteTable"), true);
    }
}
