package io.netstack.provider.ec2.transitgatewayattachment;

import static io.netstack.provider.AwsCalls.mutateRun;

import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.ec2.model.TransitGatewayOptions;

/**
 * Per-attachment {@code defaultRouteTableAssociation} / {@code defaultRouteTablePropagation}: is
 * the attachment associated with, and does it propagate to, its gateway's default route table
 * ({@code AssociationDefaultRouteTableId} / {@code PropagationDefaultRouteTableId}). AWS has no
 * attachment option for this: the gateway-wide options act once, when the attachment is created,
 * so — as terraform-provider-aws does for {@code transit_gateway_default_route_table_association}
 * — the attachment is associated/disassociated and its propagation enabled/disabled on the default
 * table after creation, and read back from the default table's associations and propagations.
 *
 * <p>Reads: one DescribeTransitGateways for the gateways of the listed attachments, then one
 * GetTransitGatewayRouteTableAssociations and one GetTransitGatewayRouteTablePropagations per
 * default table (not per attachment). A gateway without a default table (created with both
 * gateway-wide defaults off) reads as "not associated, not propagating".
 */
final class TgwAttachmentDefaults extends Ec2Helper {
    /** Terraform's association/propagation timeouts: associations can take minutes (docs/aws-facts.md). */
    static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(10);
    static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);

    /** A gateway's default tables; null where it has none. */
    record DefaultTables(String association, String propagation) {}

    /** What the default tables say, for a set of gateways: attachment ids associated / propagating. */
    record Snapshot(Map<String, DefaultTables> tables, Set<String> associated, Set<String> propagating) {
        boolean associated(String att) {
            return associated.contains(att);
        }

        boolean propagating(String att) {
            return propagating.contains(att);
        }
    }


    TgwAttachmentDefaults(AwsSession aws) {
        super(aws);
    }

    Map<String, DefaultTables> defaultTables(String id, Collection<String> tgwIds) {
        Map<String, DefaultTables> out = new HashMap<>();
        if (tgwIds.isEmpty()) return out;
        AwsCalls.run(id, "DescribeTransitGateways", () -> ec2().describeTransitGatewaysPaginator(r -> r.transitGatewayIds(tgwIds))
                .transitGateways().forEach(t -> {
                    TransitGatewayOptions o = t.options();
                    out.put(t.transitGatewayId(), new DefaultTables(o == null ? null : o.associationDefaultRouteTableId(),
                            o == null ? null : o.propagationDefaultRouteTableId()));
                }));
        return out;
    }

    Snapshot snapshot(String id, Collection<String> tgwIds) {
        Map<String, DefaultTables> tables = defaultTables(id, tgwIds);
        return new Snapshot(tables, linked(id, tables, Link.ASSOCIATION), linked(id, tables, Link.PROPAGATION));
    }

    /**
     * The attachments that {@code link} ties to the gateways' default tables, neither leaving nor
     * off: one read per table (not per attachment); a table gone meanwhile ties none.
     */
    private Set<String> linked(String id, Map<String, DefaultTables> tables, Link link) {
        Set<String> out = new HashSet<>(), rts = new HashSet<>();
        tables.values().forEach(t -> {
            if (link.table(t) != null) rts.add(link.table(t));
        });
        for (String rt : rts) {
            try {
                AwsCalls.run(id, link.read, () -> links(rt, link, (att, state) -> {
                    if (!link.leaving.equals(state) && !link.off.equals(state)) out.add(att);
                }));
            } catch (AwsFailure f) {
                if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            }
        }
        return out;
    }

    /** Every attachment of the table's associations or propagations, with its state (paginated). */
    private void links(String rt, Link link, BiConsumer<String, String> attachmentState) {
        if (link == Link.ASSOCIATION) {
            ec2().getTransitGatewayRouteTableAssociationsPaginator(r -> r.transitGatewayRouteTableId(rt)).associations()
                    .forEach(a -> attachmentState.accept(a.transitGatewayAttachmentId(), a.stateAsString()));
        } else {
            ec2().getTransitGatewayRouteTablePropagationsPaginator(r -> r.transitGatewayRouteTableId(rt)).transitGatewayRouteTablePropagations()
                    .forEach(p -> attachmentState.accept(p.transitGatewayAttachmentId(), p.stateAsString()));
        }
    }

    /** Brings the attachment's association with its gateway's default table to {@code want}. */
    void setAssociation(TypeContext ctx, String id, String tgwId, String att, boolean want) {
        setLink(ctx, id, tgwId, att, want, Link.ASSOCIATION);
    }

    /** Brings the attachment's propagation to its gateway's default propagation table to {@code want}. */
    void setPropagation(TypeContext ctx, String id, String tgwId, String att, boolean want) {
        setLink(ctx, id, tgwId, att, want, Link.PROPAGATION);
    }

    /**
     * The two links of an attachment to its gateway's default tables: they differ in their API
     * actions and state names only.
     */
    private enum Link {
        ASSOCIATION("AssociateTransitGatewayRouteTable", "DisassociateTransitGatewayRouteTable", "GetTransitGatewayRouteTableAssociations",
                "associated", "disassociating", "disassociated", ASSOCIATION_TIMEOUT, "associate %s with a transit-gateway-route-table instead"),
        PROPAGATION("EnableTransitGatewayRouteTablePropagation", "DisableTransitGatewayRouteTablePropagation", "GetTransitGatewayRouteTablePropagations",
                "enabled", "disabling", "disabled", PROPAGATION_TIMEOUT, "list %s in a transit-gateway-route-table's propagations instead");

        final String enable, disable, read, on, leaving, off, instead;
        final Duration timeout;

        Link(String enable, String disable, String read, String on, String leaving, String off, Duration timeout, String instead) {
            this.enable = enable;
            this.disable = disable;
            this.read = read;
            this.on = on;
            this.leaving = leaving;
            this.off = off;
            this.timeout = timeout;
            this.instead = instead;
        }

        String table(DefaultTables t) {
            return this == ASSOCIATION ? t.association() : t.propagation();
        }

        /** The wait's subject: "attachment … associated with default route table …", "propagation of … to default route table … enabled". */
        String waitingFor(String att, String rt, boolean want) {
            return this == ASSOCIATION
                    ? "attachment " + att + (want ? " associated with" : " disassociated from") + " default route table " + rt
                    : "propagation of " + att + (want ? " to" : " from") + " default route table " + rt + (want ? " enabled" : " disabled");
        }
    }

    private void setLink(TypeContext ctx, String id, String tgwId, String att, boolean want, Link link) {
        String rt = link.table(defaultTables(id, Set.of(tgwId)).getOrDefault(tgwId, new DefaultTables(null, null)));
        if (rt == null) {
            if (!want) return;
            throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, link.enable,
                    "transit gateway " + tgwId + " has no default route table (it was created with both default route table options off): "
                            + String.format(link.instead, att));
        }
        String state = state(id, rt, att, link);
        boolean now = state != null && !link.leaving.equals(state) && !link.off.equals(state);
        if (now == want) return;
        if (want) {
            mutateRun(ctx, id, link.enable, () -> {
                if (link == Link.ASSOCIATION) ec2().associateTransitGatewayRouteTable(r -> r.transitGatewayRouteTableId(rt).transitGatewayAttachmentId(att));
                else ec2().enableTransitGatewayRouteTablePropagation(r -> r.transitGatewayRouteTableId(rt).transitGatewayAttachmentId(att));
            });
        } else {
            AwsCalls.ignoringNotFound(id, link.disable, () -> link == Link.ASSOCIATION
                    ? ec2().disassociateTransitGatewayRouteTable(r -> r.transitGatewayRouteTableId(rt).transitGatewayAttachmentId(att))
                    : ec2().disableTransitGatewayRouteTablePropagation(r -> r.transitGatewayRouteTableId(rt).transitGatewayAttachmentId(att)));
        }
        ctx.waiter().until(id, link.waitingFor(att, rt, want), link.timeout, Set.of(want ? link.on : Waiter.GONE), want ? Set.of(link.off) : Set.of(), () -> {
            String s = state(id, rt, att, link);
            if (!want) return new Waiter.Outcome(s == null || link.off.equals(s) ? Waiter.GONE : s, null);
            return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
        });
    }

    private String state(String id, String rt, String att, Link link) {
        return link == Link.ASSOCIATION ? associationState(id, rt, att) : propagationState(id, rt, att);
    }

    private String associationState(String id, String rt, String att) {
        return AwsCalls.find(id, "GetTransitGatewayRouteTableAssociations", () -> ec2().getTransitGatewayRouteTableAssociations(r -> r
                        .transitGatewayRouteTableId(rt).filters(Ec2Tags.filter("transit-gateway-attachment-id", att))).associations())
                .flatMap(l -> l.stream().filter(a -> att.equals(a.transitGatewayAttachmentId())).map(a -> a.stateAsString()).findFirst()).orElse(null);
    }

    private String propagationState(String id, String rt, String att) {
        return AwsCalls.find(id, "GetTransitGatewayRouteTablePropagations", () -> ec2().getTransitGatewayRouteTablePropagations(r -> r
                        .transitGatewayRouteTableId(rt).filters(Ec2Tags.filter("transit-gateway-attachment-id", att))).transitGatewayRouteTablePropagations())
                .flatMap(l -> l.stream().filter(p -> att.equals(p.transitGatewayAttachmentId())).map(p -> p.stateAsString()).findFirst()).orElse(null);
    }
}
