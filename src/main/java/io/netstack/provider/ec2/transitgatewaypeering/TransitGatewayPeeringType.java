package io.netstack.provider.ec2.transitgatewaypeering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Deletion;
import io.netstack.provider.ec2.transitgateway.TransitGatewayBusy;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.PeeringTgwInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TransitGatewayPeeringAttachment;

/**
 * {@code transit-gateway-peering}: a peering attachment between this stack's transit gateway
 * (the requester) and a peer gateway, in the same region or another, in this account or another.
 * Everything is create-only: AWS modifies nothing of a peering.
 *
 * <p><b>Accepting.</b> A peering works only once the peer side accepts it. When the peer gateway
 * is in this account, create accepts it too — in the peer's region, with a client for that region
 * — and waits until it is {@code available}, so routes that name it come after. When the peer is
 * another account, the request is left {@code pendingAcceptance}: that account accepts it (in its
 * own stack or by hand); routes through it fail until then with AWS's message. If the accept call
 * itself fails, the request just made is deleted again, so a re-run starts over rather than find a
 * peering stuck in {@code pendingAcceptance} that nothing would accept.
 *
 * <p>Reads: one paginated DescribeTransitGatewayPeeringAttachments, tags re-checked client-side
 * (moto ignores {@code tag-key} there), only attachments this region requested (moto shows a
 * cross-region peering in both regions) and only peerings (moto answers this call with VPC
 * attachments too). Deleted, rejected and failed peerings are dropped: a
 * rejected request is dead and is requested again on the next apply.
 */
public final class TransitGatewayPeeringType extends Ec2Type {
    /** terraform-provider-aws transitGatewayPeeringAttachmentCreatedTimeout: 10 m (initiating → pendingAcceptance). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform's accepter waits with transitGatewayPeeringAttachmentUpdatedTimeout: 10 m (pending → available). */
    static final Duration ACCEPT_TIMEOUT = Duration.ofMinutes(10);
    /** IncorrectState (still initiating) is retried. */
    static final Deletion DELETION = TransitGatewayBusy.deletion("DeleteTransitGatewayPeeringAttachment", "InvalidTransitGatewayAttachmentID.NotFound");

    static final Set<String> GONE_STATES = Set.of("deleting", "deleted", "failing", "failed", "rejecting", "rejected");
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.ref("transitGateway", List.of("transit-gateway"), List.of("tgw-")).required().createOnly()
                    .describe("the requester: a transit gateway of this region"),
            Property.ref("peerTransitGateway", List.of("transit-gateway"), List.of("tgw-")).required().createOnly()
                    .describe("the accepter: ${id} of this stack, ${stack:other/id}, or a tgw- id in another region or account"),
            Property.string("peerRegion").createOnly().describe("region of the peer gateway; default: the stack's region"),
            Property.string("peerAccount").createOnly().describe("12-digit account of the peer gateway; default: the requester's account"));

    public TransitGatewayPeeringType(AwsSession aws) {
        super(aws, "transit-gateway-peering", "transit-gateway-peering", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode tgw = b.properties().get("transitGateway"), peer = b.properties().get("peerTransitGateway");
        if (tgw != null && tgw.equals(peer)) v.error(b, "/peerTransitGateway", "a transit gateway cannot peer with itself");
        String account = b.properties().path("peerAccount").asText(null);
        if (account != null && !ACCOUNT.matcher(account).matches()) v.error(b, "/peerAccount", "\"" + account + "\" is not a 12-digit AWS account id");
        String region = b.properties().path("peerRegion").asText(null);
        if (region != null && !REGION.matcher(region).matches()) v.error(b, "/peerRegion", "\"" + region + "\" is not an AWS region name");
        // A gateway of this stack lives in the stack's region.
        if (region != null && v.target(peer).isPresent() && !region.equals(v.stack().region())) {
            v.error(b, "/peerRegion", "the peer " + peer.asText() + " is in this stack's region " + v.stack().region() + ", not " + region);
        }
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeTransitGatewayPeeringAttachments", () -> ec2().describeTransitGatewayPeeringAttachmentsPaginator(r -> r.filters(Ec2Tags.stackFilter(ctx.stack())))
                .transitGatewayPeeringAttachments().forEach(a -> {
                    // moto answers with every kind of attachment, VPC ones included: only peerings have both sides.
                    if (a.requesterTgwInfo() == null || a.accepterTgwInfo() == null) return;
                    if (GONE_STATES.contains(a.stateAsString()) || !requestedHere(ctx, a)) return;
                    Ec2Tags.ownedId(a.tags(), ctx.stack()).ifPresent(id -> out.add(translate(id, a)));
                }));
        return out;
    }

    private static boolean requestedHere(TypeContext ctx, TransitGatewayPeeringAttachment a) {
        PeeringTgwInfo req = a.requesterTgwInfo();
        return req == null || req.region() == null || req.region().equals(ctx.region());
    }

    private LiveResource translate(String id, TransitGatewayPeeringAttachment a) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        PeeringTgwInfo req = a.requesterTgwInfo(), acc = a.accepterTgwInfo();
        if (req != null) p.put("transitGateway", req.transitGatewayId());
        if (acc != null) {
            p.put("peerTransitGateway", acc.transitGatewayId());
            if (acc.region() != null) p.put("peerRegion", acc.region());
            if (acc.ownerId() != null) p.put("peerAccount", acc.ownerId());
        }
        p.set("tags", Ec2Tags.userTags(a.tags()));
        return new LiveResource(id, name(), a.transitGatewayAttachmentId(), p, Map.of());
    }

    private Optional<TransitGatewayPeeringAttachment> describe(Ec2Client ec2, String id, String attachmentId) {
        return find(id, "DescribeTransitGatewayPeeringAttachments", () -> ec2.describeTransitGatewayPeeringAttachments(r -> r.transitGatewayAttachmentIds(attachmentId))
                .transitGatewayPeeringAttachments()).filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    private LiveResource readOne(TypeContext ctx, String id, String attachmentId) {
        return readBack(ctx, id, attachmentId, () -> describe(ec2(), id, attachmentId).filter(a -> !GONE_STATES.contains(a.stateAsString()))
                .map(a -> translate(id, a)));
    }

    private Waiter.Outcome state(String id, String attachmentId) {
        return describe(ec2(), id, attachmentId)
                .map(a -> new Waiter.Outcome(a.stateAsString(), a.status() == null ? null : a.status().message()))
                .orElse(new Waiter.Outcome("not visible yet", null));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id(), tgwId = spec.text("transitGateway"), peerTgwId = spec.text("peerTransitGateway");
        String peerRegion = spec.text("peerRegion") != null ? spec.text("peerRegion") : ctx.region();
        // The requester's account: the default peer account, and how we know the peer side is ours to accept.
        String ownAccount = mutate(ctx, id, "DescribeTransitGateways", () -> {
            var l = ec2().describeTransitGateways(r -> r.transitGatewayIds(tgwId)).transitGateways();
            if (l.isEmpty()) throw new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeTransitGateways", "transit gateway " + tgwId + " is not visible yet");
            return l.get(0).ownerId();
        });
        String peerAccount = spec.text("peerAccount") != null ? spec.text("peerAccount") : ownAccount;
        TransitGatewayPeeringAttachment a = mutate(ctx, id, "CreateTransitGatewayPeeringAttachment", () -> ec2().createTransitGatewayPeeringAttachment(r -> r
                .transitGatewayId(tgwId).peerTransitGatewayId(peerTgwId).peerRegion(peerRegion).peerAccountId(peerAccount)
                .tagSpecifications(Ec2Tags.spec(ResourceType.TRANSIT_GATEWAY_ATTACHMENT, spec.tags()))).transitGatewayPeeringAttachment());
        String attachmentId = a.transitGatewayAttachmentId();
        mutateRun(ctx, id, "CreateTags", () -> Ec2Tags.ensure(ec2(), id, attachmentId, a.tags(), spec.tags()));
        Waiter.Outcome requested = ctx.waiter().until(id, "peering " + attachmentId + " requested", CREATE_TIMEOUT,
                Set.of("pendingAcceptance", "available"), GONE_STATES, () -> state(id, attachmentId));
        if ("pendingAcceptance".equals(requested.state()) && peerAccount.equals(ownAccount)) {
            accept(ctx, id, attachmentId, peerRegion);
            ctx.waiter().until(id, "peering " + attachmentId + " available", ACCEPT_TIMEOUT, Set.of("available"), GONE_STATES, () -> state(id, attachmentId));
        }
        return readOne(ctx, id, attachmentId);
    }

    /** Accepts on the peer side, in the peer's region; on failure deletes the request again. */
    private void accept(TypeContext ctx, String id, String attachmentId, String peerRegion) {
        Ec2Client peer = aws.ec2(peerRegion);
        try {
            // The request reaches the peer region after a moment: NotFound there, or IncorrectState
            // while it is still 'initiatingRequest', are retried.
            ctx.retrying(id, "AcceptTransitGatewayPeeringAttachment", Set.of(ErrorCategory.NOT_FOUND, ErrorCategory.DEPENDENCY_VIOLATION), PROPAGATION_TIMEOUT, () ->
                    busyIsRetryable(TransitGatewayBusy.CODES, () -> AwsCalls.call(id, "AcceptTransitGatewayPeeringAttachment", () ->
                            peer.acceptTransitGatewayPeeringAttachment(r -> r.transitGatewayAttachmentId(attachmentId)))));
        } catch (AwsFailure f) {
            try {
                deleteAndWait(ctx, id, attachmentId);
            } catch (AwsFailure cleanup) {
                f.addSuppressed(cleanup);
            }
            throw f;
        } finally {
            if (peer != ec2()) peer.close();
        }
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), spec.id(), live.awsId(), live.properties().get("tags"), spec.properties().get("tags"));
            return readOne(ctx, spec.id(), live.awsId());
        }
        return live;
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteAndWait(ctx, live.id(), live.awsId());
    }

    private void deleteAndWait(TypeContext ctx, String id, String attachmentId) {
        deleteUnlessDeleting(ctx, id, attachmentId, DELETION, () -> { },
                () -> ec2().deleteTransitGatewayPeeringAttachment(r -> r.transitGatewayAttachmentId(attachmentId)),
                () -> describe(ec2(), id, attachmentId), TransitGatewayPeeringAttachment::stateAsString);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeTransitGatewayPeeringAttachments", "ec2:DescribeTransitGateways"),
                java.util.List.of("ec2:AcceptTransitGatewayPeeringAttachment", "ec2:CreateTags", "ec2:CreateTransitGatewayPeeringAttachment"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags"),
                java.util.List.of("ec2:DeleteTransitGatewayPeeringAttachment"),
                java.util.List.of());
    }
}
