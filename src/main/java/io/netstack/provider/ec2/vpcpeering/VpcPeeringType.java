package io.netstack.provider.ec2.vpcpeering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AccepterTags;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpcPeeringConnectionsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.PeeringConnectionOptionsRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnectionOptionsDescription;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnectionVpcInfo;

/**
 * {@code vpc-peering}: a VPC peering connection, always managed from the <b>requester</b> side
 * (the stack's region and account). {@code vpc}, {@code peerVpc}, {@code peerRegion} and
 * {@code peerAccount} are create-only; {@code autoAccept} and {@code dnsResolution} are handled in
 * place.
 *
 * <h2>Acceptance</h2>
 * <ul>
 *   <li><b>Same account, same region</b>: with {@code "autoAccept": true} the request is accepted
 *       right after it is created, and the create waits until the peering is {@code active}
 *       (so routes that target it, which reference it, come after).</li>
 *   <li><b>Same account, other region</b> ({@code peerRegion}): the request is made in the stack's
 *       region and, with {@code autoAccept}, accepted from the peer region (an EC2 client for
 *       {@code peerRegion}); then the create waits for {@code active}.</li>
 *   <li><b>Other account</b> ({@code peerAccount}): netstack only makes the request and waits
 *       until it is {@code pending-acceptance}. The accepter side accepts it in its own account
 *       (and in the peer region when it differs) with a {@code vpc-peering-acceptance} in a stack
 *       of that account (docs/stack-format.md, "Handshakes"), or by hand, or with its own IaC. AWS expires an unaccepted
 *       request after 7 days; netstack then sees it gone and plans a new request.
 *       {@code autoAccept} is refused for a request to another account (AWS allows only the
 *       accepter account to accept), checked before anything is created.</li>
 * </ul>
 *
 * <p>{@code autoAccept} read back: {@code true} when the peering is active (or provisioning).
 * {@code false} (and omitted) means "netstack does not accept": whether the accepter side accepts is
 * not netstack's business, so {@link #normalize} drops a {@code false} on both sides and it is never
 * compared. {@code true} on a pending request plans an update that accepts it.
 *
 * <h2>DNS resolution</h2>
 * {@code dnsResolution} is {@code AllowDnsResolutionFromRemoteVpc} through
 * ModifyVpcPeeringConnectionOptions: the requester side always; the accepter side too when it is
 * visible to this account (same account: in the same call when in the same region, from the peer
 * region otherwise, as AWS requires for inter-region peerings). For a peering to another account
 * only the requester side is netstack's, and read back as such. AWS accepts options only on active
 * peerings: on a pending request the create leaves the option off and a later apply sets it once
 * the request was accepted (until then the update fails saying so). Both VPCs need DNS hostnames
 * and DNS support (validated when both are in the stack).
 *
 * <h2>Reads</h2>
 * One paginated DescribeVpcPeeringConnections with the stack's tag filter; tags re-checked here
 * because moto ignores every filter of this call. Only requester-side objects of the stack's
 * region count. Deleted, rejected, failed and expired peerings stay visible for a while in AWS (and
 * forever in moto) and are dropped: AWS removes them itself, and they cannot be deleted.
 */
public final class VpcPeeringType extends Ec2Type {
    /**
     * Terraform's aws_vpc_peering_connection create/update/delete timeouts are 1 m: a request
     * reaches pending-acceptance, an accepted one active (through provisioning), within seconds.
     */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(1);
    /** Terraform: the accept waits within the same 1 m create/update timeout. */
    static final Duration ACCEPT_TIMEOUT = Duration.ofMinutes(1);
    /** Terraform: 1 m delete timeout (deleting → deleted). */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(1);

    /** States in which the peering is gone or dead: AWS removes these by itself. */
    static final Set<String> GONE_STATES = Set.of("deleted", "deleting", "rejected", "failed", "expired");
    static final Set<String> ACTIVE = Set.of("active", "provisioning");
    static final Status<VpcPeeringConnection> STATE = Status.of(VpcPeeringType::status, p -> p.status() == null ? null : p.status().message());
    private static final Set<String> DEAD = Set.of("failed", "rejected", "expired", "deleted");
    static final Wait REQUESTED = Wait.created("requested", CREATE_TIMEOUT, "pending-acceptance", "active").failingOn(DEAD.toArray(String[]::new));
    static final Wait ACCEPTED = Wait.until("active", ACCEPT_TIMEOUT, "active").failingOn(DEAD.toArray(String[]::new));
    static final Deletion DELETION = Deletion.of("DeleteVpcPeeringConnection", DELETE_TIMEOUT, "InvalidVpcPeeringConnectionID.NotFound");

    private static final Schema SCHEMA = new Schema(true, List.of("status"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly().describe("the requester VPC"),
            Property.ref("peerVpc", List.of("vpc"), List.of("vpc-")).required().createOnly()
                    .describe("the accepter VPC; a literal vpc- id when it is in another region or account"),
            Property.string("peerRegion").createOnly().describe("region of the accepter VPC; default: the stack's region"),
            Property.string("peerAccount").createOnly().describe("12-digit account id of the accepter VPC; default: this account"),
            Property.bool("autoAccept").describe("accept the request (same account only; from the peer region when it differs); "
                    + "false or omitted: the accepter side accepts"),
            Property.bool("dnsResolution").defaultValue(false)
                    .describe("allow each VPC to resolve the other's public DNS hostnames to private IPs (both sides visible to this account)"));

    public VpcPeeringType(AwsSession aws) {
        super(aws, "vpc-peering", "VPC peering", SCHEMA);
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode a = p.get("autoAccept");
        if (a != null && a.isBoolean() && !a.asBoolean()) p.remove("autoAccept");
        return p;
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        VpcPeeringValidation.validate(b, v);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null, null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String onlyId, String resource) {
        List<LiveResource> out = new ArrayList<>();
        DescribeVpcPeeringConnectionsRequest.Builder req = DescribeVpcPeeringConnectionsRequest.builder().filters(filters);
        if (onlyId != null) req.vpcPeeringConnectionIds(onlyId);
        AwsCalls.run(resource, "DescribeVpcPeeringConnections", () -> ec2().describeVpcPeeringConnectionsPaginator(req.build())
                .vpcPeeringConnections().forEach(pcx -> Ec2Tags.ownedId(pcx.tags(), ctx.stack()).ifPresent(id -> {
                    if (onlyId != null && !onlyId.equals(pcx.vpcPeeringConnectionId())) return; // moto ignores unknown-id errors and filters
                    if (GONE_STATES.contains(status(pcx))) return;
                    if (AccepterTags.isAccepter(pcx.tags())) return; // this account's acceptance of another's request (vpc-peering-acceptance)
                    String requesterRegion = pcx.requesterVpcInfo() == null ? null : pcx.requesterVpcInfo().region();
                    if (requesterRegion != null && !requesterRegion.equals(ctx.region())) return; // the accepter-side view of someone's request
                    out.add(translate(ctx, id, pcx));
                })));
        return out;
    }

    /**
     * Live peerings of the stack's VPCs (as requester or accepter) without ownership tags (drift):
     * two DescribeVpcPeeringConnections, filtered by requester and by accepter VPC (and re-checked
     * here, as moto ignores the filters). A peering requested by another netstack stack carries that
     * stack's tags and is not reported.
     */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        java.util.Map<String, Unmanaged> out = new java.util.LinkedHashMap<>();
        for (String side : List.of("requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id")) {
            AwsCalls.run(null, "DescribeVpcPeeringConnections", () -> ec2().describeVpcPeeringConnectionsPaginator(r -> r.filters(Ec2Tags.filter(side, vpcIds)))
                    .vpcPeeringConnections().forEach(pcx -> {
                        if (GONE_STATES.contains(status(pcx)) || Ec2Tags.hasOwnership(pcx.tags())) return;
                        String mine = vpcIds.contains(pcx.requesterVpcInfo().vpcId()) ? pcx.requesterVpcInfo().vpcId()
                                : vpcIds.contains(pcx.accepterVpcInfo().vpcId()) ? pcx.accepterVpcInfo().vpcId() : null;
                        if (mine == null) return;
                        String other = mine.equals(pcx.requesterVpcInfo().vpcId()) ? pcx.accepterVpcInfo().vpcId() : pcx.requesterVpcInfo().vpcId();
                        out.putIfAbsent(pcx.vpcPeeringConnectionId(), new Unmanaged(name(), pcx.vpcPeeringConnectionId(), mine,
                                "VPC peering with " + other + " (" + status(pcx) + ")"));
                    }));
        }
        return new ArrayList<>(out.values());
    }

    /**
     * The live peerings requested by one of the VPCs (a peering requested from elsewhere is the
     * requester's to manage, as {@code list} reads it): one DescribeVpcPeeringConnections filtered
     * by requester VPC. Within one account and region, {@code peerAccount} and {@code peerRegion}
     * are left out (AWS's defaults).
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(scope, "DescribeVpcPeeringConnections",
                () -> ec2().describeVpcPeeringConnectionsPaginator(r -> r.filters(Ec2Tags.filter("requester-vpc-info.vpc-id", scope.vpcIds()))).vpcPeeringConnections(),
                pcx -> !GONE_STATES.contains(status(pcx)) && pcx.requesterVpcInfo() != null && scope.vpcIds().contains(pcx.requesterVpcInfo().vpcId()),
                VpcPeeringConnection::vpcPeeringConnectionId, VpcPeeringConnection::tags, (pcxId, pcx) -> {
                    LiveResource r = translate(ctx, pcxId, pcx);
                    if (pcx.accepterVpcInfo() != null && pcx.accepterVpcInfo().ownerId() != null && pcx.accepterVpcInfo().ownerId().equals(pcx.requesterVpcInfo().ownerId())) {
                        r.properties().remove("peerAccount");
                    }
                    if (ctx.region().equals(r.properties().path("peerRegion").asText())) r.properties().remove("peerRegion");
                    return r;
                });
    }

    private LiveResource translate(TypeContext ctx, String id, VpcPeeringConnection pcx) {
        VpcPeeringConnectionVpcInfo req = pcx.requesterVpcInfo(), acc = pcx.accepterVpcInfo();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", req.vpcId());
        p.put("peerVpc", acc.vpcId());
        p.put("peerRegion", acc.region() != null ? acc.region() : ctx.region());
        if (acc.ownerId() != null) p.put("peerAccount", acc.ownerId());
        String status = status(pcx);
        p.put("autoAccept", ACTIVE.contains(status));
        boolean dns = allowsDns(req.peeringOptions());
        if (accepterVisible(pcx)) dns &= allowsDns(acc.peeringOptions());
        p.put("dnsResolution", dns);
        p.set("tags", Ec2Tags.userTags(pcx.tags()));
        return new LiveResource(id, name(), pcx.vpcPeeringConnectionId(), p, Map.of("status", status));
    }

    private static boolean allowsDns(VpcPeeringConnectionOptionsDescription o) {
        return o != null && Boolean.TRUE.equals(o.allowDnsResolutionFromRemoteVpc());
    }

    /** The accepter side's options are this account's to read and set only when it owns both VPCs. */
    private static boolean accepterVisible(VpcPeeringConnection pcx) {
        VpcPeeringConnectionVpcInfo req = pcx.requesterVpcInfo(), acc = pcx.accepterVpcInfo();
        return acc != null && acc.ownerId() != null && acc.ownerId().equals(req.ownerId()) && acc.peeringOptions() != null;
    }

    static String status(VpcPeeringConnection pcx) {
        return pcx.status() == null || pcx.status().codeAsString() == null ? "unknown" : pcx.status().codeAsString().toLowerCase(Locale.ROOT);
    }

    private Optional<VpcPeeringConnection> describe(Ec2Client client, String id, String pcxId) {
        return find(id, "DescribeVpcPeeringConnections", () -> client.describeVpcPeeringConnections(r -> r.vpcPeeringConnectionIds(pcxId)).vpcPeeringConnections())
                .flatMap(l -> l.stream().filter(x -> pcxId.equals(x.vpcPeeringConnectionId())).findFirst());
    }

    private Optional<VpcPeeringConnection> describe(String id, String pcxId) {
        return describe(ec2(), id, pcxId);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String pcxId) {
        return find(id, "DescribeVpcPeeringConnections", () -> read(ctx, List.of(), pcxId, id)).flatMap(l -> l.stream().findFirst());
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String vpcId = spec.text("vpc"), peerVpc = spec.text("peerVpc");
        String peerRegion = spec.text("peerRegion"), peerAccount = spec.text("peerAccount");
        boolean autoAccept = spec.bool("autoAccept", false);
        if (autoAccept && peerAccount != null) {
            String own = mutate(ctx, id, "DescribeVpcs", () -> ec2().describeVpcs(r -> r.vpcIds(vpcId)).vpcs().stream().findFirst()
                    .orElseThrow(() -> gone(id, vpcId)).ownerId());
            if (!peerAccount.equals(own)) {
                throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, "autoAccept works only within one account: a request to account "
                        + peerAccount + " is accepted by that account (see the vpc-peering documentation); remove autoAccept");
            }
        }
        VpcPeeringConnection created = mutate(ctx, id, "CreateVpcPeeringConnection", () -> ec2().createVpcPeeringConnection(r -> {
            r.vpcId(vpcId).peerVpcId(peerVpc).tagSpecifications(Ec2Tags.spec(ResourceType.VPC_PEERING_CONNECTION, spec.tags()));
            if (peerRegion != null && !peerRegion.equals(ctx.region())) r.peerRegion(peerRegion);
            if (peerAccount != null) r.peerOwnerId(peerAccount);
        }).vpcPeeringConnection());
        String pcxId = created.vpcPeeringConnectionId();
        Waiter.Outcome o = await(ctx, id, pcxId, REQUESTED, () -> describe(id, pcxId), STATE);
        if (autoAccept && o.state().equals("pending-acceptance")) accept(ctx, id, pcxId, peerRegion);
        LiveResource live = readBack(ctx, id, pcxId, () -> readOne(ctx, id, pcxId));
        if (spec.bool("dnsResolution", false) && ACTIVE.contains(live.attributes().get("status"))) {
            return update(ctx, live, spec, Set.of("dnsResolution"));
        }
        return live;
    }

    /** Accepts from the accepter's region (same account), then waits for active. */
    private void accept(TypeContext ctx, String id, String pcxId, String peerRegion) {
        withRegion(peerRegion, peer -> mutate(ctx, id, "AcceptVpcPeeringConnection",
                () -> peer.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(pcxId))));
        await(ctx, id, pcxId, ACCEPTED, () -> describe(id, pcxId), STATE);
    }

    /** Runs {@code f} with a client for {@code region}; a client made for another region is closed after. */
    private <T> T withRegion(String region, Function<Ec2Client, T> f) {
        if (region == null || region.equals(aws.region())) return f.apply(ec2());
        try (Ec2Client c = aws.ec2(region)) {
            return f.apply(c);
        }
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), pcxId = live.awsId();
        VpcPeeringConnection pcx = ensureExists(id, pcxId, () -> describe(id, pcxId));
        boolean touched = false;
        String status = live.attributes().get("status");
        if (changed.contains("autoAccept") && spec.bool("autoAccept", false) && "pending-acceptance".equals(status)) {
            String peerAccount = live.properties().path("peerAccount").asText(null);
            if (peerAccount != null && !peerAccount.equals(pcx.requesterVpcInfo().ownerId())) {
                throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, "autoAccept works only within one account: " + pcxId
                        + " waits for account " + peerAccount + " to accept it");
            }
            accept(ctx, id, pcxId, live.properties().path("peerRegion").asText(null));
            status = "active";
            touched = true;
        }
        if (changed.contains("dnsResolution")) {
            setDns(ctx, id, pcxId, spec.bool("dnsResolution", false));
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, pcxId));
    }

    private void setDns(TypeContext ctx, String id, String pcxId, boolean on) {
        VpcPeeringConnection pcx = ensureExists(id, pcxId, () -> describe(id, pcxId));
        String status = status(pcx);
        if (!ACTIVE.contains(status)) {
            VpcPeeringConnectionVpcInfo acc = pcx.accepterVpcInfo();
            throw new AwsFailure(ErrorCategory.CONFLICT, id, "ModifyVpcPeeringConnectionOptions", "DNS resolution can be set only on an active peering; "
                    + pcxId + " is " + status + (status.equals("pending-acceptance") ? ": it waits for account " + acc.ownerId()
                    + " to accept it in " + acc.region() + " (or set \"autoAccept\": true when that account is this one)" : ""));
        }
        PeeringConnectionOptionsRequest opts = PeeringConnectionOptionsRequest.builder().allowDnsResolutionFromRemoteVpc(on).build();
        String requesterRegion = pcx.requesterVpcInfo().region(), accepterRegion = pcx.accepterVpcInfo().region();
        boolean sameRegion = accepterRegion == null || accepterRegion.equals(requesterRegion);
        boolean accepterToo = accepterVisible(pcx);
        mutate(ctx, id, "ModifyVpcPeeringConnectionOptions", () -> ec2().modifyVpcPeeringConnectionOptions(r -> {
            r.vpcPeeringConnectionId(pcxId).requesterPeeringConnectionOptions(opts);
            if (accepterToo && sameRegion) r.accepterPeeringConnectionOptions(opts);
        }));
        if (accepterToo && !sameRegion) {
            // AWS: for inter-region peerings each side's options are modified in that side's region.
            withRegion(accepterRegion, peer -> mutate(ctx, id, "ModifyVpcPeeringConnectionOptions",
                    () -> peer.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(pcxId).accepterPeeringConnectionOptions(opts))));
        }
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), pcxId = live.awsId();
        deleteAndWaitGone(ctx, id, pcxId, DELETION, () -> {
            try {
                ec2().deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(pcxId));
            } catch (AwsServiceException e) {
                // Terraform: "InvalidStateTransition … from failed to deleting": a dead peering needs no delete.
                if (e.awsErrorDetails() == null || !"InvalidStateTransition".equals(e.awsErrorDetails().errorCode())) throw e;
            }
        }, () -> describe(id, pcxId), p -> new Waiter.Outcome(GONE_STATES.contains(status(p)) && !status(p).equals("deleting") ? Waiter.GONE : status(p), null));
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeVpcPeeringConnections", "ec2:DescribeVpcs"),
                java.util.List.of("ec2:AcceptVpcPeeringConnection", "ec2:CreateTags", "ec2:CreateVpcPeeringConnection", "ec2:ModifyVpcPeeringConnectionOptions"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyVpcPeeringConnectionOptions"),
                java.util.List.of("ec2:DeleteVpcPeeringConnection"),
                java.util.List.of("ec2:DescribeVpcPeeringConnections", "ec2:DescribeVpcs"));
    }
}
