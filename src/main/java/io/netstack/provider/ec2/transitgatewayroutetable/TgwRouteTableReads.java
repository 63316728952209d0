package io.netstack.provider.ec2.transitgatewayroutetable;

import static io.netstack.provider.AwsCalls.find;

import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRoute;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTable;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTablePropagation;

/**
 * The reads of {@code transit-gateway-route-table}: one table, its children (three calls per
 * table, see {@link TransitGatewayRouteTableType}), and the single-child lookups the waits poll.
 * A table that is gone reads as empty children: NotFound is absence, not an error.
 */
final class TgwRouteTableReads extends Ec2Helper {
    /** SearchTransitGatewayRoutes returns at most 1,000 routes (its default and maximum MaxResults), no NextToken. */
    static final int MAX_ROUTES_READ = 1000;


    TgwRouteTableReads(AwsSession aws) {
        super(aws);
    }

    Optional<TransitGatewayRouteTable> describe(String id, String rtId) {
        return find(id, "DescribeTransitGatewayRouteTables", () -> ec2().describeTransitGatewayRouteTables(r -> r.transitGatewayRouteTableIds(rtId))
                .transitGatewayRouteTables()).filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    /** Attachment id → association state, for one table (empty if the table is gone). */
    Map<String, String> associations(String id, String rtId) {
        return byAttachment(id, "GetTransitGatewayRouteTableAssociations",
                () -> ec2().getTransitGatewayRouteTableAssociationsPaginator(r -> r.transitGatewayRouteTableId(rtId)).associations(),
                TransitGatewayRouteTableAssociation::transitGatewayAttachmentId, TransitGatewayRouteTableAssociation::stateAsString);
    }

    /** Attachment id → propagation state, for one table (empty if the table is gone). */
    Map<String, String> propagations(String id, String rtId) {
        return byAttachment(id, "GetTransitGatewayRouteTablePropagations",
                () -> ec2().getTransitGatewayRouteTablePropagationsPaginator(r -> r.transitGatewayRouteTableId(rtId)).transitGatewayRouteTablePropagations(),
                TransitGatewayRouteTablePropagation::transitGatewayAttachmentId, TransitGatewayRouteTablePropagation::stateAsString);
    }

    /** One paginated read of a table's links: attachment id → state; NotFound (the table is gone) is empty. */
    private static <T> Map<String, String> byAttachment(String id, String action, Supplier<? extends Iterable<T>> read,
                                                        Function<T, String> attachmentOf, Function<T, String> stateOf) {
        Map<String, String> out = new TreeMap<>();
        AwsCalls.ignoringNotFound(id, action, () -> {
            read.get().forEach(l -> out.put(attachmentOf.apply(l), stateOf.apply(l)));
            return out;
        });
        return out;
    }

    /** The table's static routes, or the one for {@code destination} when given. */
    List<TransitGatewayRoute> staticRoutes(String id, String rtId, String destination) {
        try {
            var resp = AwsCalls.call(id, "SearchTransitGatewayRoutes", () -> ec2().searchTransitGatewayRoutes(r -> {
                // No MaxResults: AWS's default is the maximum, 1,000 (and moto fails on any value: it slices a dict).
                r.transitGatewayRouteTableId(rtId);
                if (destination == null) r.filters(Ec2Tags.filter("type", "static"));
                else r.filters(Ec2Tags.filter("type", "static"), Ec2Tags.filter("route-search.exact-match", destination));
            }));
            if (Boolean.TRUE.equals(resp.additionalRoutesAvailable())) {
                throw new AwsFailure(ErrorCategory.UNSUPPORTED, id, "SearchTransitGatewayRoutes",
                        "route table " + rtId + " has more than " + MAX_ROUTES_READ + " static routes, more than one read returns; netstack cannot compare it");
            }
            return resp.routes();
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            return List.of();
        }
    }

    String associationState(String id, String rtId, String att) {
        return find(id, "GetTransitGatewayRouteTableAssociations", () -> ec2().getTransitGatewayRouteTableAssociations(r -> r
                        .transitGatewayRouteTableId(rtId).filters(Ec2Tags.filter("transit-gateway-attachment-id", att))).associations())
                .flatMap(l -> l.stream().filter(a -> att.equals(a.transitGatewayAttachmentId())).map(a -> a.stateAsString()).findFirst()).orElse(null);
    }

    String propagationState(String id, String rtId, String att) {
        return find(id, "GetTransitGatewayRouteTablePropagations", () -> ec2().getTransitGatewayRouteTablePropagations(r -> r
                        .transitGatewayRouteTableId(rtId).filters(Ec2Tags.filter("transit-gateway-attachment-id", att))).transitGatewayRouteTablePropagations())
                .flatMap(l -> l.stream().filter(a -> att.equals(a.transitGatewayAttachmentId())).map(a -> a.stateAsString()).findFirst()).orElse(null);
    }

    String routeState(String id, String rtId, String destination) {
        return staticRoutes(id, rtId, destination).stream()
                .filter(r -> r.destinationCidrBlock() != null && io.netstack.stack.Cidr.canonical(r.destinationCidrBlock()).equals(destination))
                .map(TransitGatewayRoute::stateAsString).findFirst().orElse(null);
    }

    /** Route tables of {@code stack} on {@code tgwId} (one Describe; only used when an association is added). */
    Set<String> ownedTablesOf(String stack, String id, String tgwId) {
        Set<String> out = new LinkedHashSet<>();
        AwsCalls.run(id, "DescribeTransitGatewayRouteTables", () -> ec2().describeTransitGatewayRouteTablesPaginator(r -> r.filters(
                        Ec2Tags.stackFilter(stack), Ec2Tags.filter("transit-gateway-id", tgwId)))
                .transitGatewayRouteTables().forEach(t -> {
                    if (!TgwRouteTableTranslator.GONE_STATES.contains(t.stateAsString()) && tgwId.equals(t.transitGatewayId())
                            && Ec2Tags.ownedId(t.tags(), stack).isPresent()) {
                        out.add(t.transitGatewayRouteTableId());
                    }
                }));
        return out;
    }

    /** The table AWS says the attachment is associated with (DescribeTransitGatewayAttachments). */
    Optional<String> currentAssociation(String id, String att) {
        return find(id, "DescribeTransitGatewayAttachments", () -> ec2().describeTransitGatewayAttachments(r -> r.transitGatewayAttachmentIds(att))
                .transitGatewayAttachments()).orElse(List.of()).stream()
                .filter(a -> a.association() != null && !"disassociated".equals(a.association().stateAsString()))
                .map(a -> a.association().transitGatewayRouteTableId()).findFirst();
    }

    String defaultAssociationTable(String id, String tgwId) {
        return find(id, "DescribeTransitGateways", () -> ec2().describeTransitGateways(r -> r.transitGatewayIds(tgwId)).transitGateways())
                .orElse(List.of()).stream().filter(t -> t.options() != null).map(t -> t.options().associationDefaultRouteTableId())
                .findFirst().orElse(null);
    }

    String defaultPropagationTable(String id, String tgwId) {
        return find(id, "DescribeTransitGateways", () -> ec2().describeTransitGateways(r -> r.transitGatewayIds(tgwId)).transitGateways())
                .orElse(List.of()).stream().filter(t -> t.options() != null).map(t -> t.options().propagationDefaultRouteTableId())
                .findFirst().orElse(null);
    }

}
