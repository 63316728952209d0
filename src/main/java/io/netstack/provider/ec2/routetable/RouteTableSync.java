package io.netstack.provider.ec2.routetable;

import static io.netstack.provider.AwsCalls.ignoringNotFound;
import static io.netstack.provider.AwsCalls.mutate;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.SubnetClaims;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.TypeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The verbs of {@link RouteTableType} on a table's children: routes, VGW propagation and subnet
 * associations. Each {@code sync…} brings one child list from what was read to what is wanted
 * and says whether it called AWS.
 *
 * <p>Subnet associations never pass through the VPC's main table when a subnet changes table: a
 * subnet another table of this stack holds is moved with one ReplaceRouteTableAssociation (by
 * the table that takes it), and a table giving a subnet to another table of the apply leaves it
 * alone ({@link TypeContext#handedOver}). Only a subnet that no table claims any more is
 * disassociated — to the main table, as the stack file says.
 */
public final class RouteTableSync extends Ec2Helper {
    /**
     * Moving a subnet between two tables of one apply can race (both tables' updates run in
     * parallel): each lost race (association id gone, or subnet already associated) re-reads
     * the subnet's association and tries again, a few times.
     */
    static final int ASSOCIATE_ATTEMPTS = 5;
    /** An association the write answered in this state is in place (AWS may also answer {@code associating}). */
    static final String ASSOCIATED = "associated";
    /** EnableVgwRoutePropagation before the VGW's attachment is complete (Terraform retries this code). */
    static final String GATEWAY_NOT_ATTACHED = "Gateway.NotAttached";


    public RouteTableSync(AwsSession aws) {
        super(aws);
    }

    /** Replace changed targets, create new destinations, then delete dropped ones. */
    public boolean routes(TypeContext ctx, String id, String tableId, JsonNode want, JsonNode have) {
        Map<String, String> w = RouteTableRoutes.byDestination(want), h = RouteTableRoutes.byDestination(have);
        boolean touched = false;
        for (Map.Entry<String, String> e : w.entrySet()) {
            String dest = e.getKey(), target = e.getValue();
            if (h.containsKey(dest)) {
                if (h.get(dest).equals(target)) continue;
                mutate(ctx, id, "ReplaceRoute", () -> ec2().replaceRoute(RouteTableRoutes.replaceRequest(tableId, dest, target)));
            } else {
                try {
                    mutate(ctx, id, "CreateRoute", () -> ec2().createRoute(RouteTableRoutes.createRequest(tableId, dest, target)));
                } catch (AwsFailure f) {
                    // The route appeared since the table was read (e.g. an earlier attempt whose response was lost).
                    if (!"RouteAlreadyExists".equals(f.code())) throw f;
                    mutate(ctx, id, "ReplaceRoute", () -> ec2().replaceRoute(RouteTableRoutes.replaceRequest(tableId, dest, target)));
                }
            }
            touched = true;
        }
        for (String dest : h.keySet()) {
            if (w.containsKey(dest)) continue;
            ignoringNotFound(id, "DeleteRoute", () -> ec2().deleteRoute(RouteTableRoutes.deleteRequest(tableId, dest)));
            touched = true;
        }
        return touched;
    }

    boolean propagation(TypeContext ctx, String id, String tableId, Set<String> want, Set<String> have) {
        boolean touched = false;
        for (String vgw : want) {
            if (have.contains(vgw)) continue;
            ctx.retrying(id, "EnableVgwRoutePropagation", Set.of(ErrorCategory.NOT_FOUND), Ec2Type.PROPAGATION_TIMEOUT, () -> {
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
            ignoringNotFound(id, "DisableVgwRoutePropagation", () -> ec2().disableVgwRoutePropagation(r -> r.routeTableId(tableId).gatewayId(vgw)));
            touched = true;
        }
        return touched;
    }

    /**
     * Takes the wanted subnets (a move from another table of this stack is one
     * ReplaceRouteTableAssociation), then disassociates those no longer wanted. {@code have} is
     * without the subnets handed over to another table: those stay until it takes them.
     *
     * @param unsettled gets each subnet whose Associate/ReplaceRouteTableAssociation response did
     *                  not say {@code associated} (AWS may answer {@code associating}), or that was
     *                  not written by this call: only a read can tell where those are
     */
    boolean subnets(TypeContext ctx, String id, String tableId, Set<String> want, Set<String> have, Supplier<Optional<RouteTable>> now, Set<String> unsettled) {
        Set<String> add = new TreeSet<>(want), remove = new TreeSet<>(have);
        add.removeAll(have);
        remove.removeAll(want);
        if (add.isEmpty() && remove.isEmpty()) return false;
        // Where the new subnets are now: one DescribeRouteTables for all of them (issue 12); a lost
        // race re-reads the one subnet it is about. A subnet this session created moments ago has
        // no explicit association but the one a table of this apply gives it (a subnet has one
        // table in a stack), so it is not looked up: should one exist after all (a lost response),
        // AssociateRouteTable answers Resource.AlreadyAssociated, which re-reads it.
        Set<String> lookUp = new TreeSet<>(add);
        lookUp.removeIf(aws::fresh);
        Map<String, Held> held = lookUp.isEmpty() ? Map.of() : explicitAssociations(id, lookUp);
        for (String subnetId : add) {
            if (!ASSOCIATED.equals(associate(ctx, id, tableId, subnetId, Optional.ofNullable(held.get(subnetId))))) unsettled.add(subnetId);
        }
        if (!remove.isEmpty()) {
            // Association ids from a fresh read: another table of this apply may have taken a subnet already.
            RouteTable t = now.get().orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, null, tableId + " no longer exists; run plan again to recreate it"));
            for (RouteTableAssociation a : t.associations()) {
                if (Boolean.TRUE.equals(a.main()) || a.subnetId() == null || !remove.contains(a.subnetId())) continue;
                ignoringNotFound(id, "DisassociateRouteTable", () -> ec2().disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId())));
            }
        }
        return true;
    }

    /** The explicit association of a subnet, wherever it is. */
    private record Held(String tableId, String associationId, List<Tag> tableTags) {}

    private Optional<Held> explicitAssociation(String id, String subnetId) {
        return Optional.ofNullable(explicitAssociations(id, Set.of(subnetId)).get(subnetId));
    }

    /** The explicit association of each of {@code subnetIds} that has one, in one call. */
    private Map<String, Held> explicitAssociations(String id, Set<String> subnetIds) {
        List<RouteTable> tables = new ArrayList<>();
        AwsCalls.run(id, "DescribeRouteTables", () -> ec2().describeRouteTablesPaginator(r -> r.filters(Ec2Tags.filter("association.subnet-id", subnetIds)))
                .routeTables().forEach(tables::add));
        Map<String, Held> out = new java.util.HashMap<>();
        for (RouteTable t : tables) {
            for (RouteTableAssociation a : t.associations()) {
                if (!Boolean.TRUE.equals(a.main()) && subnetIds.contains(a.subnetId()) && RouteTableType.active(a)) {
                    out.put(a.subnetId(), new Held(t.routeTableId(), a.routeTableAssociationId(), t.tags()));
                }
            }
        }
        return out;
    }

    /**
     * Associates a subnet with this table: AssociateRouteTable if it has no explicit association,
     * ReplaceRouteTableAssociation if another table of this stack holds it (a move, in one step).
     *
     * @return the association's state as the write answered it; {@code null} if nothing was written
     */
    private String associate(TypeContext ctx, String id, String tableId, String subnetId, Optional<Held> read) {
        for (int attempt = 1; ; attempt++) {
            Optional<Held> held = attempt == 1 ? read : explicitAssociation(id, subnetId);
            try {
                if (held.isEmpty()) {
                    return state(mutate(ctx, id, "AssociateRouteTable", () -> ec2().associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId))).associationState());
                }
                Held h = held.get();
                if (h.tableId().equals(tableId)) return null;
                if (Ec2Tags.ownedId(h.tableTags(), ctx.stack()).isEmpty()) {
                    throw new AwsFailure(ErrorCategory.CONFLICT, id, "ReplaceRouteTableAssociation", null, null,
                            subnetId + " is associated with route table " + h.tableId() + ", which " + SubnetClaims.owner(h.tableTags())
                                    + "; netstack does not take a subnet from a table it does not own: remove the association there first", null);
                }
                return state(AwsCalls.call(id, "ReplaceRouteTableAssociation", () -> ec2().replaceRouteTableAssociation(r -> r.associationId(h.associationId()).routeTableId(tableId))).associationState());
            } catch (AwsFailure f) {
                boolean raced = held.isPresent() && f.category() == ErrorCategory.NOT_FOUND && "ReplaceRouteTableAssociation".equals(f.action())
                        || "Resource.AlreadyAssociated".equals(f.code());
                if (!raced || attempt >= ASSOCIATE_ATTEMPTS) throw f;
            }
        }
    }

    private static String state(software.amazon.awssdk.services.ec2.model.RouteTableAssociationState st) {
        return st == null ? null : st.stateAsString();
    }
}
