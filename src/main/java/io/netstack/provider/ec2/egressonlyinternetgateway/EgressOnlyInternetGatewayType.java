package io.netstack.provider.ec2.egressonlyinternetgateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.EgressOnlyInternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code egress-only-internet-gateway}: IPv6 outbound-only gateway, bound to its VPC for life
 * ({@code vpc} is create-only; there is no attach/detach API). Tags are its only updatable part.
 *
 * <p>moto ignores the tag filter of DescribeEgressOnlyInternetGateways (docs/moto-notes.md), so the
 * filter is sent for AWS and ownership is decided client-side from the tags; exactly one
 * TagSpecification goes with the create (moto breaks on two).
 */
public final class EgressOnlyInternetGatewayType extends Ec2Type {
    /** Created attached, no wait needed beyond visibility; 5 m = EC2's eventual-consistency budget. */
    static final Duration CREATE_TIMEOUT = PROPAGATION_TIMEOUT;
    /**
     * Terraform deletes it with one call and no timeout; AWS has no documented dependency that
     * blocks it (routes to it become blackholes). 5 m of DependencyViolation retries and of waiting
     * for it to disappear covers eventual consistency only.
     */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    static final Wait ATTACHED = Wait.created("attached", CREATE_TIMEOUT, "attached");
    /** terraform-provider-aws: EC2 names this gateway's NotFound InvalidGatewayID.NotFound. */
    static final Deletion DELETION = Deletion.of("DeleteEgressOnlyInternetGateway", DELETE_TIMEOUT,
            "InvalidGatewayID.NotFound", "InvalidEgressOnlyInternetGatewayId.NotFound");

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly());

    private final Reads<EgressOnlyInternetGateway> reads = reads("DescribeEgressOnlyInternetGateways",
            f -> ec2().describeEgressOnlyInternetGatewaysPaginator(r -> r.filters(f).maxResults(255)).egressOnlyInternetGateways(),
            EgressOnlyInternetGateway::egressOnlyInternetGatewayId, EgressOnlyInternetGateway::tags, (ctx, id, g) -> translate(id, g));

    public EgressOnlyInternetGatewayType(AwsSession aws) {
        super(aws, "egress-only-internet-gateway", "egress-only internet gateway", SCHEMA);
    }

    /** It only carries IPv6: in a VPC without an IPv6 block it is useless (AWS creates it anyway). */
    @Override
    public void validate(ResourceBlock b, Validation v) {
        v.target(b.properties().get("vpc")).ifPresent(vpc -> {
            if (!vpc.properties().path("ipv6").asBoolean(false)) {
                v.warning(b, "/vpc", vpc.id() + " has no IPv6 block (\"ipv6\": true): an egress-only internet gateway only carries IPv6 traffic");
            }
        });
    }

    /**
     * Untagged gateways attached to owned VPCs (drift). DescribeEgressOnlyInternetGateways filters
     * only by tag, so this is one unfiltered paginated read, matched on the attachment's VPC.
     */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, "DescribeEgressOnlyInternetGateways",
                () -> ec2().describeEgressOnlyInternetGatewaysPaginator(r -> r.maxResults(255)).egressOnlyInternetGateways(), EgressOnlyInternetGateway::tags,
                g -> vpcOf(g).filter(vpcIds::contains).map(vpc -> new Unmanaged(name(), g.egressOnlyInternetGatewayId(), vpc, "egress-only internet gateway " + g.egressOnlyInternetGatewayId())));
    }

    /** The gateways attached to the VPCs: one unfiltered paginated read (it filters only by tag), matched on the attachment. */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> ec2().describeEgressOnlyInternetGatewaysPaginator(r -> r.maxResults(255)).egressOnlyInternetGateways(),
                g -> vpcOf(g).filter(scope.vpcIds()::contains).isPresent());
    }

    private LiveResource translate(String id, EgressOnlyInternetGateway g) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        vpcOf(g).ifPresent(v -> p.put("vpc", v));
        p.set("tags", Ec2Tags.userTags(g.tags()));
        return new LiveResource(id, name(), g.egressOnlyInternetGatewayId(), p, Map.of());
    }

    private static Optional<String> vpcOf(EgressOnlyInternetGateway g) {
        for (InternetGatewayAttachment a : g.attachments()) {
            String s = a.stateAsString();
            if (s == null || !s.startsWith("detach")) return Optional.ofNullable(a.vpcId());
        }
        return Optional.empty();
    }

    /** The gateway by id; moto answers an unknown id with an empty list, AWS with a NotFound error. */
    private Optional<EgressOnlyInternetGateway> describe(String id, String gatewayId) {
        return findOne(id, "DescribeEgressOnlyInternetGateways", gatewayId, () -> ec2().describeEgressOnlyInternetGateways(r -> r
                .egressOnlyInternetGatewayIds(gatewayId)).egressOnlyInternetGateways(), EgressOnlyInternetGateway::egressOnlyInternetGatewayId, null);
    }

    private Optional<LiveResource> readOne(String id, String gatewayId) {
        return describe(id, gatewayId).map(g -> translate(id, g));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String gatewayId = mutate(ctx, id, "CreateEgressOnlyInternetGateway", () -> ec2().createEgressOnlyInternetGateway(r -> r
                .vpcId(spec.text("vpc"))
                .clientToken(spec.clientToken())
                .tagSpecifications(Ec2Tags.spec(ResourceType.EGRESS_ONLY_INTERNET_GATEWAY, spec.tags()))))
                .egressOnlyInternetGateway().egressOnlyInternetGatewayId();
        // The wait's last answer is the gateway as AWS has it now: no read-back (issue 12).
        var seen = new java.util.concurrent.atomic.AtomicReference<EgressOnlyInternetGateway>();
        await(ctx, id, gatewayId, ATTACHED, () -> describe(id, gatewayId).map(g -> {
            seen.set(g);
            return g;
        }), g -> new Waiter.Outcome(vpcOf(g).isPresent() ? "attached" : "attaching", null));
        return translate(id, seen.get());
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return updateTags(ctx, live, spec, changed, this::describe, this::readOne);
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteAndWaitGone(ctx, live, DELETION, gatewayId -> ec2().deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(gatewayId)),
                this::describe, Status.exists());
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("CreateEgressOnlyInternetGateway"), List.of(), List.of(), true);
    }
}
