package io.netstack.provider.ec2.transitgatewayroutetable;

import static io.netstack.provider.AwsCalls.mutateRun;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The changes of {@code transit-gateway-route-table}'s children, each followed by a wait for the
 * state AWS reaches asynchronously: associate (with the move described on
 * {@link TransitGatewayRouteTableType}), disassociate, enable/disable propagation, and
 * create/replace/delete a static route. Each undo is idempotent: NotFound means done.
 */
final class TgwRouteTableVerbs extends Ec2Helper {
    /**
     * Associations: Terraform raised its create timeout to 5 m (delete 10 m) after timeouts;
     * associations have been seen to take up to ~10 min (docs/aws-facts.md), so 10 m both ways.
     */
    static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(10);
    /** transitGatewayRouteTablePropagationCreated/DeletedTimeout: 5 m. */
    static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);
    /** transitGatewayRouteCreated/DeletedTimeout: 2 m. */
    static final Duration ROUTE_TIMEOUT = Duration.ofMinutes(2);
    /** AWS's answer when the attachment is associated elsewhere (some accounts see AlreadyExists). */
    static final Set<String> ALREADY_ASSOCIATED = Set.of("Resource.AlreadyAssociated", "Resource.AlreadyExists");

    /** One lock per attachment: its association moves are check-then-act and must not interleave. */
    private static final Map<String, Object> ATTACHMENT_LOCKS = new ConcurrentHashMap<>();

    private final TgwRouteTableReads reads;

    TgwRouteTableVerbs(AwsSession aws, TgwRouteTableReads reads) {
        super(aws);
        this.reads = reads;
    }

    // ---------------------------------------------------------------- associations

    static Object lock(String attachmentId) {
        return ATTACHMENT_LOCKS.computeIfAbsent(attachmentId, k -> new Object());
    }

    private void waitAssociation(TypeContext ctx, String id, String rtId, String att, String target) {
        boolean gone = target == null;
        ctx.waiter().until(id, "attachment " + att + (gone ? " disassociated from " : " associated with ") + rtId, ASSOCIATION_TIMEOUT,
                Set.of(gone ? Waiter.GONE : target), gone ? Set.of() : Set.of("disassociating", "disassociated"), () -> {
                    String s = reads.associationState(id, rtId, att);
                    if (gone) return new Waiter.Outcome(s == null || "disassociated".equals(s) ? Waiter.GONE : s, null);
                    return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
                });
    }

    /** Caller holds the attachment's {@link #lock}. */
    void disassociate(TypeContext ctx, String id, String rtId, String att) {
        String state = reads.associationState(id, rtId, att);
        if (state == null || "disassociated".equals(state)) return;
        // Terraform's rule too: disassociation only from the associated state.
        if ("associating".equals(state)) waitAssociation(ctx, id, rtId, att, "associated");
        if (!"disassociating".equals(state)) {
            AwsCalls.ignoringNotFound(id, "DisassociateTransitGatewayRouteTable", () -> ec2().disassociateTransitGatewayRouteTable(r -> r
                    .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
        }
        waitAssociation(ctx, id, rtId, att, null);
    }

    void associate(TypeContext ctx, String id, String tgwId, String rtId, String att) {
        synchronized (lock(att)) {
            // 1. Another table of this stack on the same gateway still holds it: that is a move.
            for (String other : reads.ownedTablesOf(ctx.stack(), id, tgwId)) {
                if (!other.equals(rtId)) disassociate(ctx, id, other, att);
            }
            // 2. Associate; NotFound is retried (the attachment may be minutes old).
            try {
                associateCall(ctx, id, rtId, att);
            } catch (AwsFailure f) {
                if (f.code() == null || !ALREADY_ASSOCIATED.contains(f.code())) throw f;
                String current = reads.currentAssociation(id, att).orElse(null);
                if (current != null && !current.equals(rtId)) {
                    if (!current.equals(reads.defaultAssociationTable(id, tgwId)) && !reads.ownedTablesOf(ctx.stack(), id, tgwId).contains(current)) {
                        throw new AwsFailure(ErrorCategory.CONFLICT, id, "AssociateTransitGatewayRouteTable", f.code(), f.requestId(),
                                "attachment " + att + " is associated with route table " + current + ", which this stack does not manage;"
                                        + " disassociate it there (or list it in that table's stack) first", f);
                    }
                    disassociate(ctx, id, current, att);
                }
                if (!rtId.equals(current)) associateCall(ctx, id, rtId, att);
            }
            waitAssociation(ctx, id, rtId, att, "associated");
        }
    }

    private void associateCall(TypeContext ctx, String id, String rtId, String att) {
        mutateRun(ctx, id, "AssociateTransitGatewayRouteTable", () -> ec2().associateTransitGatewayRouteTable(r -> r
                .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
    }

    // ---------------------------------------------------------------- propagations

    private void waitPropagation(TypeContext ctx, String id, String rtId, String att, boolean enabled) {
        ctx.waiter().until(id, "propagation of " + att + (enabled ? " to " : " from ") + rtId + (enabled ? " enabled" : " disabled"), PROPAGATION_TIMEOUT,
                Set.of(enabled ? "enabled" : Waiter.GONE), enabled ? Set.of("disabling", "disabled") : Set.of(), () -> {
                    String s = reads.propagationState(id, rtId, att);
                    if (!enabled) return new Waiter.Outcome(s == null || "disabled".equals(s) ? Waiter.GONE : s, null);
                    return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
                });
    }

    void enablePropagation(TypeContext ctx, String id, String rtId, String att) {
        String state = reads.propagationState(id, rtId, att);
        if (state == null || "disabled".equals(state)) {
            mutateRun(ctx, id, "EnableTransitGatewayRouteTablePropagation", () -> ec2().enableTransitGatewayRouteTablePropagation(r -> r
                    .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
        } else if ("disabling".equals(state)) {
            waitPropagation(ctx, id, rtId, att, false);
            enablePropagation(ctx, id, rtId, att);
            return;
        }
        waitPropagation(ctx, id, rtId, att, true);
    }

    void disablePropagation(TypeContext ctx, String id, String rtId, String att) {
        String state = reads.propagationState(id, rtId, att);
        if (state == null || "disabled".equals(state)) return;
        if ("enabling".equals(state)) waitPropagation(ctx, id, rtId, att, true);
        if (!"disabling".equals(state)) {
            AwsCalls.ignoringNotFound(id, "DisableTransitGatewayRouteTablePropagation", () -> ec2().disableTransitGatewayRouteTablePropagation(r -> r
                    .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
        }
        waitPropagation(ctx, id, rtId, att, false);
    }

    // ---------------------------------------------------------------- routes

    private void waitRoute(TypeContext ctx, String id, String rtId, String destination, boolean present) {
        ctx.waiter().until(id, "route " + destination + " in " + rtId + (present ? " active" : " deleted"), ROUTE_TIMEOUT,
                present ? Set.of("active", "blackhole") : Set.of(Waiter.GONE), present ? Set.of("deleted", "deleting") : Set.of(), () -> {
                    String s = reads.routeState(id, rtId, destination);
                    if (!present) return new Waiter.Outcome(s == null || "deleted".equals(s) ? Waiter.GONE : s, null);
                    return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
                });
    }

    void createRoute(TypeContext ctx, String id, String rtId, String destination, JsonNode route) {
        String att = TgwRouteTableTranslator.attachment(route);
        mutateRun(ctx, id, "CreateTransitGatewayRoute", () -> ec2().createTransitGatewayRoute(r -> {
            r.transitGatewayRouteTableId(rtId).destinationCidrBlock(destination);
            if (att == null) r.blackhole(true);
            else r.transitGatewayAttachmentId(att);
        }));
        waitRoute(ctx, id, rtId, destination, true);
    }

    void deleteRoute(TypeContext ctx, String id, String rtId, String destination) {
        if (reads.routeState(id, rtId, destination) == null) return;
        AwsCalls.ignoringNotFound(id, "DeleteTransitGatewayRoute", () -> ec2().deleteTransitGatewayRoute(r -> r
                .transitGatewayRouteTableId(rtId).destinationCidrBlock(destination)));
        waitRoute(ctx, id, rtId, destination, false);
    }

    void replaceRoute(TypeContext ctx, String id, String rtId, String destination, JsonNode route) {
        String att = TgwRouteTableTranslator.attachment(route);
        try {
            AwsCalls.run(id, "ReplaceTransitGatewayRoute", () -> ec2().replaceTransitGatewayRoute(r -> {
                r.transitGatewayRouteTableId(rtId).destinationCidrBlock(destination);
                if (att == null) r.blackhole(true);
                else r.transitGatewayAttachmentId(att);
            }));
        } catch (AwsFailure f) {
            if (!notImplemented(f)) throw f;
            deleteRoute(ctx, id, rtId, destination);
            createRoute(ctx, id, rtId, destination, route);
            return;
        }
        waitRoute(ctx, id, rtId, destination, true);
    }

    /**
     * The backend lacks the action: UNSUPPORTED (AwsCalls' category for InvalidAction,
     * NotImplemented and HTTP 501), or a 5xx that carries no AWS error code at all (moto's HTML
     * "500 Internal Server Error" page for unimplemented actions). AWS's own 5xx responses carry a
     * code (InternalError, Unavailable) and are not taken for this; nor is any INVALID_REQUEST.
     */
    static boolean notImplemented(AwsFailure f) {
        if (f.category() == ErrorCategory.UNSUPPORTED) return true;
        return (f.code() == null || f.code().isBlank()) && f.getCause() instanceof AwsServiceException se && se.statusCode() >= 500;
    }
}
