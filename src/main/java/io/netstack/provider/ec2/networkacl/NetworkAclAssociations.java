package io.netstack.provider.ec2.networkacl;

import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.SubnetClaims;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.TypeContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The subnet associations of {@link NetworkAclType} (as {@code RouteTableSync} is for route
 * tables). A subnet always has exactly one NACL and there is no Associate/Disassociate: taking a
 * subnet, or giving it back to the VPC's default NACL, is one ReplaceNetworkAclAssociation of its
 * current association. A subnet is taken only from its VPC's default NACL or another NACL of this
 * stack; one held by a NACL this stack does not own is refused (principle 1).
 */
final class NetworkAclAssociations extends Ec2Helper {
    /**
     * The NACL type's batched finder, gathered: the callers asking within a second share one
     * DescribeNetworkAcls read after each of them asked.
     */
    private final java.util.function.BiFunction<TypeContext, String, Optional<NetworkAcl>> findAcl;

    NetworkAclAssociations(AwsSession aws, java.util.function.BiFunction<TypeContext, String, Optional<NetworkAcl>> findAcl) {
        super(aws);
        this.findAcl = findAcl;
    }

    /**
     * Brings the NACL's subnets from {@code have} to {@code want}: each new one is taken with one
     * ReplaceNetworkAclAssociation, each dropped one goes back to the VPC's default NACL.
     *
     * @return whether it called AWS
     */
    boolean sync(TypeContext ctx, String id, String aclId, String vpcId, Set<String> want, Set<String> have) {
        Set<String> add = new TreeSet<>(want), remove = new TreeSet<>(have);
        add.removeAll(have);
        remove.removeAll(want);
        if (add.isEmpty() && remove.isEmpty()) return false;
        // Where the new subnets are now: one DescribeNetworkAcls for all of them (issue 12); a
        // subnet whose association is not visible yet, or moved meanwhile, is read again alone.
        Map<String, Held> now = add.isEmpty() ? Map.of() : joining(ctx, id, vpcId, add);
        for (String subnetId : add) join(ctx, id, aclId, vpcId, subnetId, now.get(subnetId));
        if (!remove.isEmpty()) {
            String defaultAcl = defaultAcl(id, vpcId);
            for (String subnetId : remove) release(ctx, id, aclId, defaultAcl, subnetId);
        }
        return true;
    }

    /** Moves the subnets still on this NACL back to the VPC's default NACL (before the NACL is deleted). */
    void releaseAll(TypeContext ctx, String id, String aclId, String vpcId, List<String> subnets) {
        String defaultAcl = defaultAcl(id, vpcId);
        for (String subnetId : subnets) release(ctx, id, aclId, defaultAcl, subnetId);
    }

    /** Where a subnet's one NACL association is. */
    private record Held(String aclId, String associationId, String vpcId, boolean isDefault, List<Tag> aclTags) {}

    private Optional<Held> association(String id, String subnetId) {
        return Optional.ofNullable(associations(id, Set.of(subnetId)).get(subnetId));
    }

    /**
     * Where the subnets about to join are. Subnets this session created moments ago are on their
     * VPC's default NACL: that NACL is read through the batched finder, gathered, which the NACLs
     * of an apply taking new subnets within a second share (issue 12) — or it is the read that
     * found the default NACL's id just now; a subnet not on it (yet) is looked up.
     */
    private Map<String, Held> joining(TypeContext ctx, String id, String vpcId, Set<String> subnetIds) {
        if (vpcId != null && subnetIds.stream().allMatch(aws::fresh)) {
            NetworkAcl[] justRead = {null};
            String defaultAcl = defaultAcl(id, vpcId, a -> justRead[0] = a);
            Optional<NetworkAcl> acl = justRead[0] != null ? Optional.of(justRead[0]) : findAcl.apply(ctx, defaultAcl);
            Map<String, Held> out = held(acl.stream().toList(), subnetIds);
            if (out.keySet().containsAll(subnetIds)) return out;
        }
        return associations(id, subnetIds);
    }

    /** Where each of {@code subnetIds} is (a subnet not in the answer has no association visible yet). */
    private Map<String, Held> associations(String id, Set<String> subnetIds) {
        List<NetworkAcl> acls = new ArrayList<>();
        AwsCalls.run(id, "DescribeNetworkAcls", () -> ec2().describeNetworkAclsPaginator(r -> r.filters(Ec2Tags.filter("association.subnet-id", subnetIds)))
                .networkAcls().forEach(acls::add));
        return held(acls, subnetIds);
    }

    private static Map<String, Held> held(List<NetworkAcl> acls, Set<String> subnetIds) {
        Map<String, Held> out = new HashMap<>();
        for (NetworkAcl a : acls) {
            for (NetworkAclAssociation as : a.associations()) {
                if (subnetIds.contains(as.subnetId())) {
                    out.put(as.subnetId(), new Held(a.networkAclId(), as.networkAclAssociationId(), a.vpcId(), Boolean.TRUE.equals(a.isDefault()), a.tags()));
                }
            }
        }
        return out;
    }

    /** The VPC's default NACL: read once per session, by whichever type needs it first ({@code AwsSession.defaultNetworkAcl}). */
    private String defaultAcl(String id, String vpcId) {
        return defaultAcl(id, vpcId, a -> { });
    }

    /** {@link #defaultAcl(String, String)}; {@code read} gets the NACL if this call read it (its associations are as of now). */
    private String defaultAcl(String id, String vpcId, java.util.function.Consumer<NetworkAcl> read) {
        return aws.defaultNetworkAcl(vpcId, v -> {
            List<NetworkAcl> acls = AwsCalls.call(id, "DescribeNetworkAcls", () -> ec2().describeNetworkAcls(r -> r.filters(
                    Ec2Tags.filter("vpc-id", vpcId), Ec2Tags.filter("default", "true"))).networkAcls());
            NetworkAcl a = acls.stream().filter(x -> Boolean.TRUE.equals(x.isDefault()) && vpcId.equals(x.vpcId())).findFirst()
                    .orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeNetworkAcls", vpcId + " has no default network ACL"));
            read.accept(a);
            return a.networkAclId();
        });
    }

    /**
     * Moves a subnet onto this NACL. A new subnet's association may not be visible yet, and a
     * subnet moved by another NACL of this apply changes association id: both are retried (as
     * NotFound) by re-reading where the subnet is.
     */
    private void join(TypeContext ctx, String id, String aclId, String vpcId, String subnetId, Held read) {
        Held[] first = {read};
        ctx.retrying(id, "ReplaceNetworkAclAssociation", Set.of(ErrorCategory.NOT_FOUND), Ec2Type.PROPAGATION_TIMEOUT, () -> {
            // The batched read serves the first attempt only: a retry re-reads where the subnet is now.
            Optional<Held> where = first[0] != null ? Optional.of(first[0]) : association(id, subnetId);
            first[0] = null;
            Held h = where.orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeNetworkAcls",
                    subnetId + " has no network ACL association (yet)"));
            if (h.aclId().equals(aclId)) return null;
            if (vpcId != null && !vpcId.equals(h.vpcId())) {
                throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, "ReplaceNetworkAclAssociation", null, null,
                        subnetId + " is in " + h.vpcId() + ", not in this network ACL's VPC " + vpcId, null);
            }
            if (!h.isDefault() && Ec2Tags.ownedId(h.aclTags(), ctx.stack()).isEmpty()) {
                throw new AwsFailure(ErrorCategory.CONFLICT, id, "ReplaceNetworkAclAssociation", null, null,
                        subnetId + " uses network ACL " + h.aclId() + ", which " + SubnetClaims.owner(h.aclTags())
                                + "; netstack takes a subnet only from its VPC's default network ACL or from this stack's: move it there first", null);
            }
            AwsCalls.run(id, "ReplaceNetworkAclAssociation", () -> ec2().replaceNetworkAclAssociation(r -> r.associationId(h.associationId()).networkAclId(aclId)));
            return null;
        });
    }

    /** Moves a subnet that is still on this NACL back to the VPC's default NACL; one already elsewhere is left alone. */
    private void release(TypeContext ctx, String id, String aclId, String defaultAcl, String subnetId) {
        ctx.retrying(id, "ReplaceNetworkAclAssociation", Set.of(ErrorCategory.NOT_FOUND), Ec2Type.PROPAGATION_TIMEOUT, () -> {
            Optional<Held> h = association(id, subnetId);
            if (h.isEmpty() || !h.get().aclId().equals(aclId)) return null;
            AwsCalls.run(id, "ReplaceNetworkAclAssociation", () -> ec2().replaceNetworkAclAssociation(r -> r.associationId(h.get().associationId()).networkAclId(defaultAcl)));
            return null;
        });
    }
}
