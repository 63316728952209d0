package io.netstack.provider.ec2.vpcpeeringacceptance;

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
import software.amazon.awssdk.services.ec2.model.PeeringConnectionOptionsRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnectionVpcInfo;

/**
 * {@code vpc-peering-acceptance}: the accepter side of a VPC peering that another account requested
 * (its {@code vpc-peering} has {@code peerAccount}). Runs in the accepter account and the accepter
 * VPC's region; the stack simply runs with that account's credentials.
 *
 * <ul>
 *   <li><b>create</b>: waits until the request is visible (a request just made by the other
 *       account's stack may take a moment), AcceptVpcPeeringConnection, waits for {@code active},
 *       then tags this account's view of the peering (see "Ownership") and sets the accepter side's
 *       {@code dnsResolution} (ModifyVpcPeeringConnectionOptions with only
 *       {@code AccepterPeeringConnectionOptions}: AWS lets each account set its own side only).
 *       A peering that is already active (accepted by hand) is taken over as it is.</li>
 *   <li><b>update</b>: {@code dnsResolution} and tags in place; {@code peering} is create-only.</li>
 *   <li><b>delete</b>: removes this stack's tags and leaves the peering to its requester, whose
 *       stack deletes it (either side may delete an active peering on AWS, but the peering is the
 *       requester stack's object; Terraform's aws_vpc_peering_connection_accepter likewise only
 *       forgets it). Routes of this stack that target it are deleted before (they reference it).</li>
 * </ul>
 *
 * <h2>Ownership</h2>
 * netstack did not create the peering, so an acceptance owns only this account's view of it: the
 * usual ownership tags plus {@code netstack:role=accepter} ({@link AccepterTags}), which EC2 keeps per
 * account. It touches only the peering its file names, and refuses one whose requester is this very
 * account (then {@code vpc-peering}'s {@code autoAccept} accepts it, and one tag set would serve two
 * stacks) and one that waits for another account or region.
 */
public final class VpcPeeringAcceptanceType extends Ec2Type {
    /** Terraform's aws_vpc_peering_connection_accepter create timeout is 1 m: active within seconds of the accept. */
    static final Duration ACCEPT_TIMEOUT = Duration.ofMinutes(1);
    /**
     * The request comes from another stack, possibly another account run a moment ago: its create
     * waited for pending-acceptance there, so here only propagation delay remains (docs/aws-facts.md,
     * eventual consistency: up to about 5 minutes).
     */
    static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(5);

    static final Set<String> GONE_STATES = Set.of("deleted", "deleting", "rejected", "failed", "expired");
    private static final String[] DEAD = {"failed", "rejected", "expired", "deleted", "deleting"};
    static final Set<String> ACTIVE = Set.of("active", "provisioning");
    static final Status<VpcPeeringConnection> STATE = Status.of(VpcPeeringAcceptanceType::status, p -> p.status() == null ? null : p.status().message());
    static final Wait REQUESTED = Wait.created("requested", VISIBLE_TIMEOUT, "pending-acceptance", "active", "provisioning").failingOn(DEAD);
    static final Wait ACCEPTED = Wait.until("active", ACCEPT_TIMEOUT, "active").failingOn(DEAD);

    private static final Schema SCHEMA = new Schema(true, List.of("status", "vpc", "peerVpc", "peerAccount", "peerRegion"),
            Property.ref("peering", List.of("vpc-peering"), List.of("pcx-")).required().createOnly()
                    .describe("the peering to accept: its pcx- id (the requester stack's ${peering.id}, or a cross-stack reference)"),
            Property.bool("dnsResolution").defaultValue(false)
                    .describe("let this (the accepter) VPC resolve the requester VPC's public DNS hostnames to private IPs"));

    public VpcPeeringAcceptanceType(AwsSession aws) {
        super(aws, "vpc-peering-acceptance", "VPC peering", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        v.target(b.properties().get("peering")).ifPresent(t -> v.error(b, "/peering", "${" + t.id()
                + "} is requested by this stack, in this account: accept it with its \"autoAccept\": true instead"));
    }

    static String status(VpcPeeringConnection p) {
        return p.status() == null ? "unknown" : p.status().codeAsString();
    }

    private Optional<VpcPeeringConnection> findPeering(String id, String pcxId) {
        return findOne(id, "DescribeVpcPeeringConnections", pcxId,
                () -> ec2().describeVpcPeeringConnections(r -> r.filters(Ec2Tags.filter("vpc-peering-connection-id", pcxId))).vpcPeeringConnections(),
                VpcPeeringConnection::vpcPeeringConnectionId, VpcPeeringAcceptanceType::status, GONE_STATES);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return AccepterTags.listAccepted(ec2(), ctx.stack(), "vpc-peering-connection", "DescribeVpcPeeringConnections", "vpc-peering-connection-id",
                f -> ec2().describeVpcPeeringConnectionsPaginator(r -> r.filters(f)).vpcPeeringConnections(),
                VpcPeeringConnection::vpcPeeringConnectionId, pcx -> GONE_STATES.contains(status(pcx)), (id, pcx, tags) -> translate(ctx, id, pcx, tags));
    }

    private LiveResource translate(TypeContext ctx, String id, VpcPeeringConnection pcx, List<Tag> tags) {
        VpcPeeringConnectionVpcInfo req = pcx.requesterVpcInfo(), acc = pcx.accepterVpcInfo();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("peering", pcx.vpcPeeringConnectionId());
        p.put("dnsResolution", acc.peeringOptions() != null && Boolean.TRUE.equals(acc.peeringOptions().allowDnsResolutionFromRemoteVpc()));
        p.set("tags", Ec2Tags.userTags(tags));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("status", status(pcx));
        attrs.put("vpc", acc.vpcId());
        attrs.put("peerVpc", req.vpcId());
        if (req.ownerId() != null) attrs.put("peerAccount", req.ownerId());
        attrs.put("peerRegion", req.region() != null ? req.region() : ctx.region());
        return new LiveResource(id, name(), pcx.vpcPeeringConnectionId(), p, attrs);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String pcxId) {
        return findPeering(id, pcxId).map(pcx -> translate(ctx, id, pcx, AccepterTags.tagsOf(ec2(), id, pcxId)));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id(), pcxId = spec.text("peering");
        Waiter.Outcome seen = await(ctx, id, pcxId, REQUESTED, () -> findPeering(id, pcxId), STATE);
        VpcPeeringConnection pcx = findPeering(id, pcxId).orElseThrow(() -> notFound(id, pcxId));
        VpcPeeringConnectionVpcInfo req = pcx.requesterVpcInfo(), acc = pcx.accepterVpcInfo();
        if (req.ownerId() != null && req.ownerId().equals(acc.ownerId())) {
            throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, pcxId + " was requested by this account (" + req.ownerId()
                    + "): accept it with \"autoAccept\": true on its vpc-peering, not with an acceptance");
        }
        if (acc.region() != null && !acc.region().equals(ctx.region())) {
            throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, pcxId + " is accepted in " + acc.region()
                    + ", where its accepter VPC " + acc.vpcId() + " is: put this acceptance in a stack of region " + acc.region());
        }
        if (seen.state().equals("pending-acceptance")) {
            mutateRun(ctx, id, "AcceptVpcPeeringConnection", () -> ec2().acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(pcxId)));
        }
        await(ctx, id, pcxId, ACCEPTED, () -> findPeering(id, pcxId), STATE);
        // Tagged after the accept: a failed accept leaves nothing claimed, and the next plan tries again.
        Map<String, String> tags = AccepterTags.of(spec.tags());
        mutateRun(ctx, id, "CreateTags", () -> ec2().createTags(r -> r.resources(pcxId).tags(Ec2Tags.toTags(tags))));
        if (spec.bool("dnsResolution", false)) setDns(ctx, id, pcxId, true);
        return readBack(ctx, id, pcxId, () -> readOne(ctx, id, pcxId));
    }

    private void setDns(TypeContext ctx, String id, String pcxId, boolean on) {
        PeeringConnectionOptionsRequest opts = PeeringConnectionOptionsRequest.builder().allowDnsResolutionFromRemoteVpc(on).build();
        mutateRun(ctx, id, "ModifyVpcPeeringConnectionOptions", () -> ec2().modifyVpcPeeringConnectionOptions(r -> r
                .vpcPeeringConnectionId(pcxId).accepterPeeringConnectionOptions(opts)));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), pcxId = live.awsId();
        VpcPeeringConnection pcx = ensureExists(id, pcxId, () -> findPeering(id, pcxId));
        boolean touched = false;
        if (changed.contains("dnsResolution")) {
            if (!ACTIVE.contains(status(pcx))) {
                throw new AwsFailure(ErrorCategory.CONFLICT, id, "ModifyVpcPeeringConnectionOptions", "DNS resolution can be set only on an active peering; "
                        + pcxId + " is " + status(pcx));
            }
            setDns(ctx, id, pcxId, spec.bool("dnsResolution", false));
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, pcxId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), pcxId = live.awsId();
        List<Tag> mine = new ArrayList<>();
        for (Tag t : AccepterTags.tagsOf(ec2(), id, pcxId)) {
            if (isOurs(t, live.properties().get("tags"))) mine.add(t);
        }
        runUnlessGone(id, "DeleteTags", Set.of("InvalidVpcPeeringConnectionID.NotFound"), () -> AccepterTags.release(ec2(), id, pcxId, mine));
    }

    /** netstack's tags and the user tags this stack set; anything else on this account's view is someone else's. */
    private static boolean isOurs(Tag t, JsonNode userTags) {
        return t.key().startsWith("netstack:") || userTags != null && userTags.has(t.key());
    }

    @Override
    public Permissions permissions() {
        return new Permissions(
                List.of("ec2:DescribeTags", "ec2:DescribeVpcPeeringConnections"),
                List.of("ec2:AcceptVpcPeeringConnection", "ec2:CreateTags", "ec2:ModifyVpcPeeringConnectionOptions"),
                List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyVpcPeeringConnectionOptions"),
                List.of("ec2:DeleteTags"));
    }
}
