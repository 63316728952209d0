package io.netstack.provider.ec2.elasticip;

import java.util.ArrayList;
import software.amazon.awssdk.services.ec2.model.Filter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.ec2.natgateway.NatGatewayType;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code elastic-ip}: a VPC Elastic IP address. No properties besides tags; attributes
 * {@code publicIp} and {@code allocationId} (the AWS id is the allocation id).
 *
 * <p>Ordering: an EIP that a public NAT gateway of the stack uses comes after the internet
 * gateway of that NAT's VPC, so that on destroy the address is released <em>before</em> the IGW is
 * detached — AWS refuses the detach while the VPC "has some mapped public address(es)"
 * (docs/aws-facts.md, "Hidden ordering rules").
 *
 * <p>Release: an address that a NAT gateway held stays associated for a while after the NAT is
 * {@code deleted}; ReleaseAddress fails meanwhile. That is retried (see {@link #RELEASE_TIMEOUT})
 * only while DescribeAddresses still shows the association, so a real permission error still
 * fails fast. netstack never disassociates an address from something it does not own (an
 * instance someone attached it to by hand): the release then fails with the association named.
 */
public final class ElasticIpType extends Ec2Type {
    /**
     * How long ReleaseAddress is retried while the address is still associated. The NAT gateway
     * that held it is already {@code deleted} by then (the NAT's delete waits for that and runs
     * first); what remains is AWS unmapping the address from the NAT's ENI, seen to take seconds
     * to about a minute (eformat/sno-for-100#5, #9). Terraform's aws_eip retried every release
     * error for its 3 m delete timeout; 5 m is EC2's eventual-consistency budget (docs/aws-facts.md).
     */
    static final Duration RELEASE_TIMEOUT = Duration.ofMinutes(5);
    /** Amazon VPC quotas: 5 Elastic IPs per region (adjustable, so a warning). */
    static final int MAX_EIPS_PER_REGION = 5;

    /**
     * What ReleaseAddress answers while the address is still associated:
     * {@code InvalidIPAddress.InUse} is the documented code (EC2 API reference, ReleaseAddress:
     * "[Nondefault VPC] You must use DisassociateAddress … Otherwise, Amazon EC2 returns an error
     * (InvalidIPAddress.InUse)"); {@code AuthFailure} "You do not have permission to access the
     * specified resource" is what AWS actually returns for an address of a NAT gateway that is
     * still being torn down (eformat/sno-for-100#5, #9); {@code InvalidNetworkInterfaceID.NotFound}
     * names the NAT's ENI that is already gone while the association lingers
     * (hashicorp/terraform-provider-aws#49299).
     */
    static final Set<String> STILL_ASSOCIATED_CODES = Set.of("InvalidIPAddress.InUse", "AuthFailure", "InvalidNetworkInterfaceID.NotFound");
    /** The address itself no longer exists: the release is done. */
    static final Deletion RELEASE = Deletion.of("ReleaseAddress", RELEASE_TIMEOUT, "InvalidAllocationID.NotFound", "InvalidAddress.NotFound", "InvalidAddressID.NotFound");

    private static final Schema SCHEMA = new Schema(true, List.of("publicIp", "allocationId"));

    public ElasticIpType(AwsSession aws) {
        super(aws, "elastic-ip", "Elastic IP", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        warnPastQuota(b, v, MAX_EIPS_PER_REGION,
                "more than " + MAX_EIPS_PER_REGION + " Elastic IPs in one stack exceeds the default quota of " + MAX_EIPS_PER_REGION + " per region");
    }

    /**
     * After the internet gateway(s) of the VPC of every public NAT gateway that uses this address
     * (found through the NAT's subnet's {@code vpc}; see {@link NatGatewayType#internetGatewaysFor}).
     */
    @Override
    public Set<String> implicitDependencies(ResourceView self, StackView stack) {
        Set<String> out = new TreeSet<>();
        stack.ofType(NatGatewayType.TYPE)
                .filter(nat -> nat.ref("eip").filter(self.id()::equals).isPresent())
                .forEach(nat -> out.addAll(NatGatewayType.internetGatewaysFor(nat, stack)));
        return out;
    }

    @Override
    /**
     * DescribeAddresses takes no pagination (docs/aws-facts.md): one filtered call returns them all.
     * An address without an allocation id is EC2-Classic: not something netstack creates.
     */
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null, Ec2Tags.owned(ctx.stack()));
    }

    /** Addresses live outside VPCs: the second pass imports those the VPCs' objects name (a NAT gateway's eip). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        java.util.Set<String> ids = scope.referenced("eipalloc-");
        if (!scope.byReference() || ids.isEmpty()) return List.of();
        return read(ctx, List.of(Ec2Tags.filter("allocation-id", ids)), null, Ec2Tags.any());
    }

    /** DescribeAddresses takes no pagination (docs/aws-facts.md): one filtered call returns them all. */
    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource, Ec2Tags.Select select) {
        List<LiveResource> out = new ArrayList<>();
        List<Address> all = AwsCalls.call(resource, "DescribeAddresses", () -> ec2().describeAddresses(r -> r.filters(filters)).addresses());
        for (Address a : all) {
            if (a.allocationId() == null) continue; // EC2-Classic address: not something netstack creates
            select.id(a.tags(), a.allocationId()).ifPresent(id -> out.add(select.mark(translate(id, a), a.tags())));
        }
        return out;
    }

    private LiveResource translate(String id, Address a) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.set("tags", Ec2Tags.userTags(a.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("publicIp", a.publicIp());
        attrs.put("allocationId", a.allocationId());
        return new LiveResource(id, name(), a.allocationId(), p, attrs);
    }

    private Optional<Address> describe(String id, String allocationId) {
        return findOne(id, "DescribeAddresses", allocationId, () -> ec2().describeAddresses(r -> r.allocationIds(allocationId)).addresses(), Address::allocationId, null);
    }

    private Optional<LiveResource> readOne(String id, String allocationId) {
        return describe(id, allocationId).map(a -> translate(id, a));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        // AllocateAddress takes no ClientToken; the tags at creation let a re-run find an address
        // whose allocate response was lost (docs/aws-facts.md, "Idempotency").
        var allocated = AwsCalls.call(id, "AllocateAddress", () -> ec2().allocateAddress(r -> r
                .domain(DomainType.VPC)
                .tagSpecifications(Ec2Tags.spec(ResourceType.ELASTIC_IP, spec.tags()))));
        String allocationId = allocated.allocationId();
        aws.created(allocationId);
        // The response says all a new address has (its id and public IP; the tags are those just
        // set, EC2 rolls the allocation back if tagging fails): no read-back (issue 12).
        if (allocated.publicIp() == null) return readBack(ctx, id, allocationId, () -> readOne(id, allocationId));
        return translate(id, Address.builder().allocationId(allocationId).publicIp(allocated.publicIp())
                .tags(Ec2Tags.toTags(spec.tags())).build());
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return updateTags(ctx, live, spec, changed, this::describe, this::readOne);
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteAndWaitGone(ctx, live, RELEASE, allocationId -> release(live.id(), allocationId), this::describe, a -> new Waiter.Outcome("allocated", null));
    }

    /**
     * One ReleaseAddress. A failure that means "still associated" becomes DEPENDENCY_VIOLATION
     * (retried by the caller) if, and only if, the address really still shows an association.
     */
    private void release(String id, String allocationId) {
        try {
            AwsCalls.run(id, "ReleaseAddress", () -> ec2().releaseAddress(r -> r.allocationId(allocationId)));
        } catch (AwsFailure f) {
            if (f.code() == null || !STILL_ASSOCIATED_CODES.contains(f.code())) throw f;
            Optional<Address> a = describe(id, allocationId);
            if (a.isEmpty()) return; // released meanwhile (or by someone else): done
            if (!associated(a.get())) throw f;
            throw new AwsFailure(ErrorCategory.DEPENDENCY_VIOLATION, id, "ReleaseAddress", f.code(), f.requestId(),
                    a.get().publicIp() + " is still associated with " + associationTarget(a.get())
                            + " (association " + a.get().associationId() + "); a NAT gateway's address is freed shortly after it is deleted,"
                            + " anything else must be disassociated first: " + f.getMessage(), f);
        }
    }

    /** moto answers "" rather than omitting the association fields of a free address. */
    static boolean associated(Address a) {
        return !blank(a.associationId()) || !blank(a.networkInterfaceId()) || !blank(a.instanceId());
    }

    private static String associationTarget(Address a) {
        if (!blank(a.instanceId())) return "instance " + a.instanceId();
        if (!blank(a.networkInterfaceId())) return "network interface " + a.networkInterfaceId();
        return "another resource";
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(List.of("DescribeAddresses"), RELEASE, List.of("AllocateAddress"), List.of(), List.of(), false);
    }
}
