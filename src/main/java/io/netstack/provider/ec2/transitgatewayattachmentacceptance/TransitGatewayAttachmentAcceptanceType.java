package io.netstack.provider.ec2.transitgatewayattachmentacceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AccepterTags;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Permissions;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TransitGatewayAttachment;

/**
 * {@code transit-gateway-attachment-acceptance}: the hub side of a VPC attachment that another
 * (spoke) account made to this account's transit gateway, shared with it through RAM. Runs in the
 * gateway owner's account and region.
 *
 * <ul>
 *   <li><b>create</b>: waits until the attachment is visible here (the spoke's stack made it a
 *       moment ago), AcceptTransitGatewayVpcAttachment when it is {@code pendingAcceptance} (a gateway
 *       with {@code autoAcceptSharedAttachments} skips that state: then there is nothing to accept),
 *       waits for {@code available}, then tags this account's view of it ({@link AccepterTags}).</li>
 *   <li><b>association and propagation</b>: a {@code transit-gateway-route-table} lists the
 *       acceptance ({@code "associations": ["${accept}"]}, {@code "propagations": [...]}, route
 *       {@code "attachment"}): the reference resolves to the attachment id and orders the table's
 *       association after the accept. A literal {@code tgw-attach-} id works too but orders nothing,
 *       and AWS refuses to associate an attachment that is still pendingAcceptance (IncorrectState).
 *       On accept AWS applies the gateway's default route table association and propagation, as for
 *       any attachment.</li>
 *   <li><b>update</b>: tags only; {@code attachment} is create-only.</li>
 *   <li><b>delete</b>: removes this stack's tags and leaves the attachment to the spoke stack that
 *       made it (the gateway owner could delete it, but it is the spoke's object; its route table
 *       associations go first, as they reference the acceptance).</li>
 * </ul>
 *
 * <h2>Ownership</h2>
 * As for {@code vpc-peering-acceptance}: this account's tags on the attachment, with
 * {@code netstack:role=accepter}; only the attachment the file names is touched; one made in this
 * very account (its VPC owner is the gateway owner) is refused: there is nothing to accept, and it
 * is its own stack's {@code transit-gateway-attachment}.
 */
public final class TransitGatewayAttachmentAcceptanceType extends Ec2Type {
    /**
     * terraform-provider-aws's aws_ec2_transit_gateway_vpc_attachment_accepter waits with
     * transitGatewayVPCAttachmentCreatedTimeout, 10 m (docs/aws-facts.md).
     */
    static final Duration ACCEPT_TIMEOUT = Duration.ofMinutes(10);
    /** The spoke's create waited for pendingAcceptance there; here only propagation delay remains (docs/aws-facts.md: ~5 min). */
    static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(5);

    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    private static final String[] FAILED = {"failed", "failing", "rejected", "rejecting", "deleting", "deleted"};
    static final Status<TransitGatewayAttachment> STATE = Status.of(TransitGatewayAttachment::stateAsString);
    static final Wait VISIBLE = Wait.created("ready to accept", VISIBLE_TIMEOUT, "pendingAcceptance", "available").failingOn(FAILED);
    static final Wait AVAILABLE = Wait.until("available", ACCEPT_TIMEOUT, "available").failingOn(FAILED);

    private static final Schema SCHEMA = new Schema(true, List.of("state", "transitGateway", "vpc", "vpcOwnerId"),
            Property.ref("attachment", List.of("transit-gateway-attachment"), List.of("tgw-attach-")).required().createOnly()
                    .describe("the spoke account's VPC attachment to accept: its tgw-attach- id (or a cross-stack reference)"));

    public TransitGatewayAttachmentAcceptanceType(AwsSession aws) {
        super(aws, "transit-gateway-attachment-acceptance", "transit gateway attachment", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        v.target(b.properties().get("attachment")).ifPresent(t -> v.error(b, "/attachment", "${" + t.id()
                + "} is made by this stack, in this account: an attachment to a gateway of its own account needs no acceptance"));
    }

    private Optional<TransitGatewayAttachment> findAttachment(String id, String attachmentId) {
        return findOne(id, "DescribeTransitGatewayAttachments", attachmentId,
                () -> ec2().describeTransitGatewayAttachments(r -> r.transitGatewayAttachmentIds(attachmentId)).transitGatewayAttachments(),
                TransitGatewayAttachment::transitGatewayAttachmentId, TransitGatewayAttachment::stateAsString, GONE_STATES);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return AccepterTags.listAccepted(ec2(), ctx.stack(), "transit-gateway-attachment", "DescribeTransitGatewayAttachments", "transit-gateway-attachment-id",
                f -> ec2().describeTransitGatewayAttachmentsPaginator(r -> r.filters(f)).transitGatewayAttachments(),
                TransitGatewayAttachment::transitGatewayAttachmentId, a -> GONE_STATES.contains(a.stateAsString()), this::translate);
    }

    private LiveResource translate(String id, TransitGatewayAttachment a, List<Tag> tags) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("attachment", a.transitGatewayAttachmentId());
        p.set("tags", Ec2Tags.userTags(tags));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("state", a.stateAsString());
        attrs.put("transitGateway", a.transitGatewayId());
        if (a.resourceId() != null) attrs.put("vpc", a.resourceId());
        if (a.resourceOwnerId() != null) attrs.put("vpcOwnerId", a.resourceOwnerId());
        return new LiveResource(id, name(), a.transitGatewayAttachmentId(), p, attrs);
    }

    private Optional<LiveResource> readOne(String id, String attachmentId) {
        return findAttachment(id, attachmentId).map(a -> translate(id, a, AccepterTags.tagsOf(ec2(), id, attachmentId)));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id(), attachmentId = spec.text("attachment");
        Waiter.Outcome seen = await(ctx, id, attachmentId, VISIBLE, () -> findAttachment(id, attachmentId), STATE);
        TransitGatewayAttachment a = findAttachment(id, attachmentId).orElseThrow(() -> notFound(id, attachmentId));
        if (!"vpc".equals(a.resourceTypeAsString())) {
            throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, attachmentId + " is a " + a.resourceTypeAsString()
                    + " attachment: this type accepts VPC attachments");
        }
        if (a.resourceOwnerId() != null && a.resourceOwnerId().equals(a.transitGatewayOwnerId())) {
            throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, attachmentId + " was made by this account (" + a.resourceOwnerId()
                    + "), the gateway's owner: there is nothing to accept; manage it as a transit-gateway-attachment of its stack");
        }
        if (seen.state().equals("pendingAcceptance")) {
            mutateRun(ctx, id, "AcceptTransitGatewayVpcAttachment", () -> ec2().acceptTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(attachmentId)));
        }
        await(ctx, id, attachmentId, AVAILABLE, () -> findAttachment(id, attachmentId), STATE);
        // Tagged after the accept: a failed accept claims nothing, and the next plan tries again.
        Map<String, String> tags = AccepterTags.of(spec.tags());
        mutateRun(ctx, id, "CreateTags", () -> ec2().createTags(r -> r.resources(attachmentId).tags(Ec2Tags.toTags(tags))));
        return readBack(ctx, id, attachmentId, () -> readOne(id, attachmentId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return updateTags(ctx, live, spec, changed, () -> findAttachment(spec.id(), live.awsId()), () -> readOne(spec.id(), live.awsId()));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), attachmentId = live.awsId();
        JsonNode userTags = live.properties().get("tags");
        List<Tag> mine = new ArrayList<>();
        for (Tag t : AccepterTags.tagsOf(ec2(), id, attachmentId)) {
            if (t.key().startsWith("netstack:") || userTags != null && userTags.has(t.key())) mine.add(t);
        }
        runUnlessGone(id, "DeleteTags", Set.of("InvalidTransitGatewayAttachmentID.NotFound"), () -> AccepterTags.release(ec2(), id, attachmentId, mine));
    }

    @Override
    public Permissions permissions() {
        return new Permissions(
                List.of("ec2:DescribeTags", "ec2:DescribeTransitGatewayAttachments"),
                List.of("ec2:AcceptTransitGatewayVpcAttachment", "ec2:CreateTags"),
                List.of("ec2:CreateTags", "ec2:DeleteTags"),
                List.of("ec2:DeleteTags"));
    }
}
