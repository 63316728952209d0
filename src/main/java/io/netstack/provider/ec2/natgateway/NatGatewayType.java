package io.netstack.provider.ec2.natgateway;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.ConnectivityType;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code nat-gateway}: a zonal NAT gateway in {@code subnet}; {@code connectivity} {@code public}
 * (default; needs {@code eip}) or {@code private} (no EIP). Everything but tags is create-only.
 * Attributes {@code publicIp}, {@code privateIp}, {@code networkInterfaceId} (primary address).
 *
 * <p>Reads: one paginated DescribeNatGateways with the tag filter, re-checked client-side (moto
 * ignores the filter). Gateways in {@code deleting}/{@code deleted} are dropped (AWS keeps deleted
 * ones visible for about an hour, moto forever), and so are {@code failed} ones: they never carry
 * traffic and AWS deletes them by itself, so the plan offers to create a working one.
 *
 * <p>Ordering: a public NAT gateway comes after the internet gateway of its VPC (AWS fails the
 * NAT with "Network … has no Internet gateway attached" otherwise) and so, on destroy, is deleted
 * before the IGW is detached. The VPC is found through the subnet block: {@code subnet.vpc}.
 */
public final class NatGatewayType extends Ec2Type {
    public static final String TYPE = "nat-gateway";

    /** Terraform aws_nat_gateway create timeout: 10 m; AWS takes up to 5–10 min to {@code available} (docs/aws-facts.md). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_nat_gateway delete timeout: 30 m (docs/aws-facts.md). */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(30);
    /**
     * How long a create waits for its Elastic IP to be let go by a NAT gateway that is deleted or
     * being deleted (a replacement, or a NAT deleted by hand and re-created). AWS unmaps the
     * address asynchronously, seconds to about a minute after {@code deleted}
     * (eformat/sno-for-100#5, #9); a NAT created while the address is still mapped fails with
     * Resource.AlreadyAssociated (hashicorp/terraform-provider-aws#709). 5 m = EC2's
     * eventual-consistency budget (docs/aws-facts.md), as for the EIP's own release.
     */
    static final Duration ADDRESS_FREED_TIMEOUT = Duration.ofMinutes(5);
    /** Amazon VPC quotas: 5 NAT gateways per Availability Zone (adjustable, so a warning). */
    static final int MAX_PER_ZONE = 5;
    /**
     * How many times a create may find that its ClientToken replays an earlier attempt whose NAT
     * failed (see {@link #create}); each round deletes that NAT and derives a new token.
     */
    static final int MAX_TOKEN_REPLAYS = 3;

    private static final Set<String> GONE_STATES = DELETING_OR_DELETED;

    static final Status<NatGateway> STATE = Status.of(NatGateway::stateAsString, NatGatewayType::failure);
    static final Wait AVAILABLE = Wait.created("available", CREATE_TIMEOUT, "available").failingOn("failed", "deleting", "deleted");
    /** AWS answers an unknown NAT gateway with NatGatewayNotFound (EC2 API reference, error codes). */
    static final Deletion DELETION = Deletion.of("DeleteNatGateway", DELETE_TIMEOUT, "NatGatewayNotFound", "InvalidNatGatewayID.NotFound");
    /** The address is free, or held by something alive (CreateNatGateway then says so in AWS's words). */
    private static final String FREE = "free", HELD_BY_LIVE = "held by a live resource";
    /** The address is still mapped to a NAT gateway that is {@code deleted}: the association is stale. */
    private static final String STALE = "held by a deleted NAT gateway";

    private static final Schema SCHEMA = new Schema(true, List.of("publicIp", "privateIp", "networkInterfaceId"),
            Property.ref("subnet", List.of("subnet"), List.of("subnet-")).required().createOnly(),
            Property.string("connectivity").createOnly().oneOf("public", "private").defaultValue("public"),
            Property.ref("eip", List.of("elastic-ip"), List.of("eipalloc-")).createOnly()
                    .describe("the Elastic IP of a public NAT gateway (required when public)"));

    private final Reads<NatGateway> reads = reads("DescribeNatGateways", f -> ec2().describeNatGatewaysPaginator(r -> r.filter(f)).natGateways(),
            NatGateway::natGatewayId, NatGateway::tags, NatGatewayType::live, (ctx, id, n) -> NatGatewayTranslator.translate(name(), id, n));

    public NatGatewayType(AwsSession aws) {
        super(aws, TYPE, "NAT gateway", SCHEMA);
    }

    static boolean isPublic(JsonNode properties) {
        JsonNode c = properties.get("connectivity");
        return c == null || c.isNull() || "public".equals(c.asText());
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        NatGatewayValidation.validate(b, v);
    }

    /** A public NAT gateway comes after the internet gateway of its subnet's VPC. */
    @Override
    public Set<String> implicitDependencies(ResourceView self, StackView stack) {
        return internetGatewaysFor(self, stack);
    }

    /**
     * The internet gateways (logical ids) that a public NAT gateway needs: those whose {@code vpc}
     * is the {@code vpc} of the NAT's subnet. Empty for a private NAT, or when the subnet is not a
     * resource of the stack (a literal {@code subnet-…} id: its VPC cannot be known offline).
     * Works on desired and live views alike: both carry references as {@code ${id}}.
     */
    public static Set<String> internetGatewaysFor(ResourceView nat, StackView stack) {
        if (!isPublic(nat.properties())) return Set.of();
        Optional<String> vpc = nat.ref("subnet").flatMap(stack::get).map(s -> s.text("vpc"));
        if (vpc.isEmpty()) return Set.of();
        Set<String> out = new TreeSet<>();
        stack.ofType("internet-gateway").filter(g -> vpc.get().equals(g.text("vpc"))).forEach(g -> out.add(g.id()));
        return out;
    }

    /** The live NAT gateways of the VPCs: one DescribeNatGateways by vpc-id, gone/failed ones dropped. */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> reads.describe().apply(Ec2Tags.filter("vpc-id", scope.vpcIds())),
                n -> live(n) && scope.vpcIds().contains(n.vpcId()));
    }

    /** Untagged NAT gateways in owned VPCs (drift): one DescribeNatGateways by vpc-id, gone/failed ones dropped. */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, reads, "vpc-id", n -> live(n) && vpcIds.contains(n.vpcId())
                ? Optional.of(new Unmanaged(name(), n.natGatewayId(), n.vpcId(), (n.connectivityTypeAsString() == null ? "" : n.connectivityTypeAsString() + " ")
                        + "NAT gateway " + n.natGatewayId() + " in " + n.subnetId()))
                : Optional.empty());
    }

    /** Not deleting, deleted or failed: see the class comment. */
    private static boolean live(NatGateway n) {
        return !GONE_STATES.contains(n.stateAsString()) && !"failed".equals(n.stateAsString());
    }

    /** The gateway by id; AWS answers an unknown id with NatGatewayNotFound, moto with an empty list. */
    private Optional<NatGateway> describe(String id, String natId, Set<String> goneStates) {
        return findBatched(id, reads, "nat-gateway-id", natId, NatGateway::stateAsString, goneStates);
    }

    /** A gateway that carries traffic or will: deleting and deleted ones are as good as gone. */
    private Optional<NatGateway> describe(String id, String natId) {
        return describe(id, natId, GONE_STATES);
    }

    private Optional<LiveResource> readOne(String id, String natId) {
        return describe(id, natId).map(n -> NatGatewayTranslator.translate(name(), id, n));
    }

    /**
     * Creates with the spec's ClientToken, so a create retried after a lost response gets the same
     * gateway. But the token also replays an earlier attempt that <em>failed</em> (same spec, same
     * token): EC2 answers an idempotent retry with what the first request made, i.e. that failed
     * gateway, and every re-run would fail the same way until the token expires, even after the
     * cause (say, a missing internet gateway) is fixed. A fresh create answers {@code pending}; an
     * answer that is already failed/deleting/deleted is such a replay, so that gateway (ours:
     * tagged) is deleted and the create repeated with a token derived from the old one and the
     * failed gateway's id — still deterministic, so a retry of this round is idempotent too.
     * (Should EC2 replay the original {@code pending} answer instead, the wait below fails with
     * AWS's failure message, as it would without this.)
     */
    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        boolean pub = isPublic(spec.properties());
        // An address this session allocated moments ago and gives a NAT gateway for the first time
        // was never held by one: no wait (issue 12).
        if (pub && !aws.claimFresh(spec.text("eip"))) awaitAddressFreed(ctx, id, spec.text("eip"));
        String token = spec.clientToken();
        NatGateway nat = null;
        for (int round = 0; ; round++) {
            String t = token;
            nat = mutate(ctx, id, "CreateNatGateway", () -> ec2().createNatGateway(r -> {
                r.subnetId(spec.text("subnet"))
                        .connectivityType(pub ? ConnectivityType.PUBLIC : ConnectivityType.PRIVATE)
                        .clientToken(t)
                        .tagSpecifications(Ec2Tags.spec(ResourceType.NATGATEWAY, spec.tags()));
                if (pub) r.allocationId(spec.text("eip"));
            }).natGateway());
            String state = nat.stateAsString();
            if (!"failed".equals(state) && !GONE_STATES.contains(state)) break;
            if (round == MAX_TOKEN_REPLAYS) {
                throw new AwsFailure(ErrorCategory.FAILED_STATE, id, "CreateNatGateway", nat.failureCode(), null,
                        "NAT gateway " + nat.natGatewayId() + " is " + state + (nat.failureMessage() == null ? "" : ": " + nat.failureMessage()), null);
            }
            if ("failed".equals(state)) deleteAndWait(ctx, id, nat.natGatewayId());
            token = replayToken(token, nat.natGatewayId());
        }
        String natId = nat.natGatewayId();
        // The wait's last answer is the available gateway: no read-back (issue 12).
        var seen = new java.util.concurrent.atomic.AtomicReference<>(nat);
        await(ctx, id, natId, AVAILABLE, () -> describe(id, natId, Set.of()).map(o -> {
            seen.set(o);
            return o;
        }), STATE);
        return NatGatewayTranslator.translate(name(), id, seen.get());
    }

    /**
     * Waits until {@code allocationId} is not held by a NAT gateway that is deleting or deleted.
     * Addresses held by anything alive are left to CreateNatGateway to report (AWS's words). Once
     * the holder is {@code deleted}, its association is stale and is dropped with DisassociateAddress
     * (once, outside the wait's status function, which only reads), best effort: AWS drops it by
     * itself shortly (and may refuse the call meanwhile), moto never does (docs/moto-notes.md: deleted
     * NAT gateways stay visible, here with their address mapped).
     */
    private void awaitAddressFreed(TypeContext ctx, String id, String allocationId) {
        String object = "Elastic IP " + allocationId;
        Wait freedOrStale = new Wait("let go by its deleted NAT gateway", ADDRESS_FREED_TIMEOUT, Set.of(FREE, HELD_BY_LIVE, STALE), Set.of(), FREE);
        Supplier<Optional<Address>> address = () -> findOne(id, "DescribeAddresses", allocationId,
                () -> ec2().describeAddresses(r -> r.allocationIds(allocationId)).addresses(), Address::allocationId, null);
        Waiter.Outcome o = awaitOn(ctx, id, object, allocationId, freedOrStale, address, a -> addressStatus(id, allocationId, a));
        if (!o.state().equals(STALE)) return;
        address.get().map(Address::associationId).filter(assoc -> !blank(assoc)).ifPresent(assoc -> {
            try {
                run(id, "DisassociateAddress", () -> ec2().disassociateAddress(r -> r.associationId(assoc)));
            } catch (AwsFailure ignored) {
                // AWS may refuse to touch a NAT gateway's association: it goes away by itself
            }
        });
        Wait freed = new Wait("let go by its deleted NAT gateway", ADDRESS_FREED_TIMEOUT, Set.of(FREE, HELD_BY_LIVE), Set.of(), FREE);
        awaitOn(ctx, id, object, allocationId, freed, address, a -> addressStatus(id, allocationId, a));
    }

    private Waiter.Outcome addressStatus(String id, String allocationId, Address a) {
        if (blank(a.associationId()) && blank(a.networkInterfaceId())) return new Waiter.Outcome(FREE, null);
        Optional<NatGateway> holder = deadHolder(id, allocationId, a.networkInterfaceId());
        if (holder.isEmpty()) return new Waiter.Outcome(HELD_BY_LIVE, null);
        if ("deleted".equals(holder.get().stateAsString()) && !blank(a.associationId())) return new Waiter.Outcome(STALE, null);
        return new Waiter.Outcome("held by " + holder.get().stateAsString() + " NAT gateway " + holder.get().natGatewayId(), null);
    }

    /** The deleting/deleted NAT gateway whose address is {@code allocationId} on {@code eni}, if any. */
    private Optional<NatGateway> deadHolder(String id, String allocationId, String eni) {
        List<NatGateway> dead = new ArrayList<>();
        AwsCalls.run(id, "DescribeNatGateways", () -> ec2().describeNatGatewaysPaginator(r -> r.filter(Ec2Tags.filter("state", GONE_STATES)))
                .natGateways().forEach(dead::add));
        return dead.stream().filter(n -> GONE_STATES.contains(n.stateAsString()) && n.natGatewayAddresses().stream()
                .anyMatch(x -> allocationId.equals(x.allocationId()) && (blank(eni) || eni.equals(x.networkInterfaceId())))).findFirst();
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** AWS's own words for a failed gateway: {@code Gateway.NotAttached: Network vpc-… has no Internet gateway attached}. */
    private static String failure(NatGateway n) {
        if (n.failureMessage() == null || n.failureMessage().isBlank()) return n.failureCode();
        return n.failureCode() == null ? n.failureMessage() : n.failureCode() + ": " + n.failureMessage();
    }

    /** A deterministic successor of {@code token} (≤ 64 ASCII chars, as EC2 requires). */
    static String replayToken(String token, String failedNatId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((token + "/" + failedNatId).getBytes(StandardCharsets.UTF_8));
            return "netstack-" + HexFormat.of().formatHex(d).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return updateTags(ctx, live, spec, changed, this::describe, this::readOne);
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteAndWait(ctx, live.id(), live.awsId());
    }

    /**
     * DeleteNatGateway, then wait for {@code deleted}: only then is its EIP free to release and the
     * VPC's public address unmapped, which the EIP's release and the IGW's detach rely on.
     */
    private void deleteAndWait(TypeContext ctx, String id, String natId) {
        Supplier<Optional<NatGateway>> find = () -> describe(id, natId, DELETED);
        Optional<NatGateway> now = find.get();
        if (now.isEmpty()) return;
        if ("deleting".equals(now.get().stateAsString())) await(ctx, id, natId, Wait.deleted(DELETE_TIMEOUT), find, STATE);
        else deleteAndWaitGone(ctx, id, natId, DELETION, () -> ec2().deleteNatGateway(r -> r.natGatewayId(natId)), find, STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(List.of("DescribeAddresses"), DELETION, List.of("CreateNatGateway"), List.of("DisassociateAddress"),
                List.of("DisassociateAddress"), true);
    }
}
