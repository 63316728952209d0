package io.netstack.provider.ec2.internetgateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Finder;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code internet-gateway}: attached to at most one VPC, attach/detach in place.
 *
 * <p>{@code vpc} omitted means <em>detached</em>, not "unmanaged": an IGW that someone attaches
 * by hand is drift, and removing {@code vpc} from the block detaches it. The engine skips
 * properties that are absent on the desired side, so {@link #normalize} writes the canonical
 * value {@link #DETACHED} on both sides instead.
 *
 * <p>Ordering: the IGW has no implicit dependencies of its own. The rule "detach only after every
 * NAT gateway and EIP of the VPC is gone" (AWS refuses with "has some mapped public address(es)")
 * is declared by {@code nat-gateway} and {@code elastic-ip}, which come after the IGW of their VPC
 * and so are removed before it. Detach still retries DependencyViolation for what netstack does
 * not manage (instances' public IPs, EIPs of other tools).
 */
public final class InternetGatewayType extends Ec2Type {
    /** The canonical value of {@code vpc} for a gateway that is attached to nothing. */
    public static final String DETACHED = "(detached)";

    /**
     * Terraform aws_internet_gateway: create, update and delete timeouts are 20 m each; the
     * attach/detach waits and the DependencyViolation retries of detach and delete run under them
     * (public addresses of NAT gateways and instances are unmapped asynchronously).
     */
    static final Duration ATTACH_TIMEOUT = Duration.ofMinutes(20);
    static final Duration DETACH_TIMEOUT = Duration.ofMinutes(20);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(20);

    /** AWS reports a live IGW attachment as {@code available}; the EC2 API reference also lists {@code attached}. */
    private static final Set<String> ATTACHED_STATES = Set.of("available", "attached");
    static final Deletion DELETION = Deletion.of("DeleteInternetGateway", DELETE_TIMEOUT, "InvalidInternetGatewayID.NotFound");
    /** Detaching a gateway (or from a VPC) that is gone, or not attached: nothing left to detach. */
    static final Set<String> NOTHING_TO_DETACH = Set.of("InvalidInternetGatewayID.NotFound", "InvalidVpcID.NotFound", "Gateway.NotAttached");

    private static final Schema SCHEMA = new Schema(true, List.of("arn"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-"))
                    .describe("the VPC to attach to (attach/detach in place); omitted = detached"));

    private final Finder<InternetGateway> gateways = finder("DescribeInternetGateways", igwId -> ec2().describeInternetGateways(r -> r.internetGatewayIds(igwId)).internetGateways(),
            InternetGateway::internetGatewayId, null, Set.of());
    private final Reads<InternetGateway> reads = reads("DescribeInternetGateways", f -> ec2().describeInternetGatewaysPaginator(r -> r.filters(f)).internetGateways(),
            InternetGateway::internetGatewayId, InternetGateway::tags, this::translate);

    public InternetGatewayType(AwsSession aws) {
        super(aws, "internet-gateway", "internet gateway", SCHEMA);
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode vpc = p.get("vpc");
        if (vpc == null || vpc.isNull() || vpc.asText().isEmpty()) p.put("vpc", DETACHED);
        return p;
    }

    /** A VPC takes one internet gateway: AWS refuses to attach a second. Reported on the later block. */
    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode vpc = b.properties().get("vpc");
        if (vpc == null || vpc.isNull()) return;
        for (ResourceBlock other : v.blocksOfType(name())) {
            if (other.id().equals(b.id())) break;
            if (other.type().equals(name()) && vpc.equals(other.properties().get("vpc"))) {
                v.error(b, "/vpc", vpc.asText() + " already has internet-gateway " + other.id() + " (a VPC takes one internet gateway)");
            }
        }
    }

    /** The VPC id in a property set, or null for a detached gateway. */
    static String attachedVpc(ObjectNode p) {
        JsonNode vpc = p.get("vpc");
        if (vpc == null || vpc.isNull() || vpc.asText().isEmpty() || vpc.asText().equals(DETACHED)) return null;
        return vpc.asText();
    }

    /** The gateways attached to the VPCs: one DescribeInternetGateways by attachment.vpc-id. */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> reads.describe().apply(Ec2Tags.filter("attachment.vpc-id", scope.vpcIds())),
                g -> attachment(g).filter(a -> scope.vpcIds().contains(a.vpcId())).isPresent());
    }

    /** Untagged gateways attached to owned VPCs (drift): one DescribeInternetGateways by attachment.vpc-id. */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, reads, "attachment.vpc-id",
                g -> attachment(g).filter(a -> vpcIds.contains(a.vpcId())).map(a -> new Unmanaged(name(), g.internetGatewayId(), a.vpcId(), "internet gateway " + g.internetGatewayId())));
    }

    private LiveResource translate(TypeContext ctx, String id, InternetGateway g) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", attachment(g).map(InternetGatewayAttachment::vpcId).orElse(DETACHED));
        p.set("tags", Ec2Tags.userTags(g.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("arn", arn(ctx, g.ownerId(), "internet-gateway", g.internetGatewayId()));
        return new LiveResource(id, name(), g.internetGatewayId(), p, attrs);
    }

    /** The gateway's attachment, unless it is on its way out ({@code detaching}/{@code detached}). */
    private static Optional<InternetGatewayAttachment> attachment(InternetGateway g) {
        for (InternetGatewayAttachment a : g.attachments()) {
            String s = a.stateAsString();
            if (s == null || !s.startsWith("detach")) return Optional.of(a);
        }
        return Optional.empty();
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String igwId) {
        return gateways.find(id, igwId).map(g -> translate(ctx, id, g));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        // CreateInternetGateway takes no ClientToken: the tags given here are what lets a re-run
        // find a gateway whose create response was lost (docs/aws-facts.md, "Idempotency").
        String igwId = AwsCalls.call(id, "CreateInternetGateway", () -> ec2().createInternetGateway(r -> r
                .tagSpecifications(Ec2Tags.spec(ResourceType.INTERNET_GATEWAY, spec.tags())))).internetGateway().internetGatewayId();
        String vpcId = attachedVpc(spec.properties());
        if (vpcId == null) return readBack(ctx, id, igwId, () -> readOne(ctx, id, igwId));
        // The attach wait's last answer is the gateway as AWS has it now: no read-back (issue 12).
        return translate(ctx, id, attach(ctx, id, igwId, vpcId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), igwId = live.awsId();
        return updateExisting(ctx, live, spec, changed, () -> gateways.find(id, igwId), now -> {
            if (!changed.contains("vpc")) return false;
            String have = attachment(now).map(InternetGatewayAttachment::vpcId).orElse(null);
            String want = attachedVpc(spec.properties());
            if (have != null && !have.equals(want)) detach(ctx, id, igwId, have);
            if (want != null && !want.equals(have)) attach(ctx, id, igwId, want);
            return true;
        }, () -> readOne(ctx, id, igwId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), igwId = live.awsId();
        // Detach from whatever the gateway is attached to now, not what the plan saw.
        Optional<InternetGateway> now = gateways.find(id, igwId);
        if (now.isEmpty()) return;
        for (InternetGatewayAttachment a : now.get().attachments()) {
            if (a.stateAsString() == null || !a.stateAsString().equals("detached")) detach(ctx, id, igwId, a.vpcId());
        }
        deleteAndWaitGone(ctx, id, igwId, DELETION, () -> ec2().deleteInternetGateway(r -> r.internetGatewayId(igwId)), () -> gateways.find(id, igwId), Status.exists());
    }

    /** Attach, retrying NotFound of the just-created gateway or VPC, then wait for the attachment. */
    /** Attaches and waits until attached; returns the gateway as the wait last read it. */
    private InternetGateway attach(TypeContext ctx, String id, String igwId, String vpcId) {
        mutateRun(ctx, id, "AttachInternetGateway", () -> ec2().attachInternetGateway(r -> r.internetGatewayId(igwId).vpcId(vpcId)));
        var seen = new java.util.concurrent.atomic.AtomicReference<InternetGateway>();
        await(ctx, id, igwId, Wait.created("attached to " + vpcId, ATTACH_TIMEOUT, "attached"), () -> gateways.find(id, igwId).map(g -> {
            seen.set(g);
            return g;
        }), g -> new Waiter.Outcome(stateFor(g, vpcId), null));
        return seen.get();
    }

    /**
     * Detach. DependencyViolation ("has some mapped public address(es)") is retried: NAT gateways
     * and EIPs release their addresses asynchronously. {@code Gateway.NotAttached} means done.
     */
    private void detach(TypeContext ctx, String id, String igwId, String vpcId) {
        try {
            ctx.retrying(id, "DetachInternetGateway", Set.of(ErrorCategory.DEPENDENCY_VIOLATION), DETACH_TIMEOUT, () ->
                    AwsCalls.call(id, "DetachInternetGateway", () -> ec2().detachInternetGateway(r -> r.internetGatewayId(igwId).vpcId(vpcId))));
        } catch (AwsFailure f) {
            if (NOTHING_TO_DETACH.contains(f.code())) return;
            throw f;
        }
        await(ctx, id, igwId, new Wait("detached from " + vpcId, DETACH_TIMEOUT, Set.of("detached", Waiter.GONE), Set.of(), Waiter.GONE),
                () -> gateways.find(id, igwId), g -> new Waiter.Outcome(stateFor(g, vpcId), null));
    }

    /** {@code attached}, {@code detached}, or AWS's transitional state of the attachment to {@code vpcId}. */
    private static String stateFor(InternetGateway g, String vpcId) {
        for (InternetGatewayAttachment a : g.attachments()) {
            if (!vpcId.equals(a.vpcId())) continue;
            String s = a.stateAsString();
            if (s == null || ATTACHED_STATES.contains(s)) return "attached";
            return s;
        }
        return "detached";
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("AttachInternetGateway", "CreateInternetGateway"), List.of("AttachInternetGateway", "DetachInternetGateway"),
                List.of("DetachInternetGateway"), true);
    }
}
