package io.netstack.provider.ec2.networkacl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.SubnetClaims;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code network-acl}: the VPC is create-only; subnet associations and the ingress/egress entries
 * are children of the NACL (docs/DESIGN.md principle 4) and change in place.
 *
 * <ul>
 *   <li>Reads: one paginated, tag-filtered DescribeNetworkAcls; entries and associations come
 *       inside it. AWS's {@code *} entries are left out ({@link NetworkAclEntries}).</li>
 *   <li>Entries are keyed by direction and rule number: a changed rule is ReplaceNetworkAclEntry
 *       (atomic), a new rule CreateNetworkAclEntry, a dropped rule DeleteNetworkAclEntry — in
 *       that order, so the rules that stay never lapse.</li>
 *   <li>A subnet always has exactly one NACL: associating it means ReplaceNetworkAclAssociation of
 *       its current association (there is no Associate/Disassociate). Removing a subnet from
 *       {@code subnets}, or deleting the NACL, moves the subnet back to its VPC's default NACL —
 *       unless another NACL of the stack claims it: then that NACL moves it with one Replace once
 *       its entries are in place, this one leaves it alone ({@code TypeContext.handedOver}), and a
 *       delete of this one waits for that (engine: {@code HandOver}). Never via the default NACL.
 *       A subnet is taken only from its VPC's default NACL or another NACL of this stack; one held
 *       by a NACL this stack does not own is refused (principle 1).</li>
 *   <li>Delete: every subnet goes back to the default NACL first (AWS refuses to delete an
 *       associated NACL), then DeleteNetworkAcl, retrying DependencyViolation.</li>
 * </ul>
 */
public final class NetworkAclType extends Ec2Type {
    /**
     * Terraform's aws_network_acl retries DependencyViolation on DeleteNetworkAcl for its
     * ec2PropagationTimeout: associations moved back to the default NACL a moment ago may still
     * count. EC2 eventual consistency is bounded at about 5 min (docs/aws-facts.md).
     */
    static final Duration DELETE_TIMEOUT = PROPAGATION_TIMEOUT;
    /**
     * Entries and associations written must be readable before the NACL counts as updated:
     * Terraform waits networkACLEntryPropagationTimeout = 5 min for a new entry, the same as the
     * EC2 eventual-consistency bound (docs/aws-facts.md).
     */
    static final Duration VISIBLE_TIMEOUT = PROPAGATION_TIMEOUT;

    /** A network ACL has no state: existing is all there is to know. */
    static final Status<NetworkAcl> STATE = Status.exists();
    static final Deletion DELETION = Deletion.of("DeleteNetworkAcl", DELETE_TIMEOUT, "InvalidNetworkAclID.NotFound");

    private static final Schema SCHEMA = new Schema(true, List.of("arn"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))).defaultEmptyList()
                    .describe("subnets that use this NACL; a subnet removed here goes back to the VPC's default NACL"),
            NetworkAclEntries.schema("ingress").defaultEmptyList(),
            NetworkAclEntries.schema("egress").defaultEmptyList());

    private final NetworkAclAssociations associations;

    private final Reads<NetworkAcl> reads = reads("DescribeNetworkAcls", f -> ec2().describeNetworkAclsPaginator(r -> r.filters(f)).networkAcls(),
            NetworkAcl::networkAclId, NetworkAcl::tags, NetworkAclType::custom, this::translate);

    public NetworkAclType(AwsSession aws) {
        super(aws, "network-acl", "network ACL", SCHEMA);
        associations = new NetworkAclAssociations(aws, (ctx, aclId) -> gathered(ctx, () -> findAcl(null, aclId)));
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        NetworkAclEntries.normalize(p, "ingress");
        NetworkAclEntries.normalize(p, "egress");
        return p;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(ResourceBlock b, Validation v) {
        NetworkAclEntries.validate(b, v, "ingress", b.properties().get("ingress"));
        NetworkAclEntries.validate(b, v, "egress", b.properties().get("egress"));
        SubnetClaims.validate(b, v, "network ACL", "this network ACL's");
    }

    /** A subnet has exactly one NACL: moving it between NACLs is a hand-over (one Replace, never via the default NACL). */
    @Override
    public Set<String> exclusiveLists() {
        return Set.of("subnets");
    }

    // ---------------------------------------------------------------- read

    /**
     * Every NACL of the VPCs but their default NACLs (those are the vpc block's
     * {@code defaultNetworkAcl}), from the read shared with the vpc type ({@link #inVpcs}).
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> inVpcs(ec2(), scope), reads.keep());
    }

    /** Whether {@code a} is a NACL of its own, not its VPC's default NACL (that one is the vpc block's {@code defaultNetworkAcl}). */
    static boolean custom(NetworkAcl a) {
        return !Boolean.TRUE.equals(a.isDefault());
    }

    /** The NACLs of the import's VPCs: one paginated DescribeNetworkAcls, shared by the vpc type. */
    public static List<NetworkAcl> inVpcs(software.amazon.awssdk.services.ec2.Ec2Client ec2, io.netstack.spi.ImportScope scope) {
        return importRead(scope, "DescribeNetworkAcls", () -> ec2.describeNetworkAclsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", scope.vpcIds()))).networkAcls());
    }

    LiveResource translate(TypeContext ctx, String id, NetworkAcl a) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", a.vpcId());
        ArrayNode subnets = p.putArray("subnets");
        for (NetworkAclAssociation as : a.associations()) if (as.subnetId() != null) subnets.add(as.subnetId());
        p.set("ingress", NetworkAclEntries.fromAws(a.entries(), false));
        p.set("egress", NetworkAclEntries.fromAws(a.entries(), true));
        p.set("tags", Ec2Tags.userTags(a.tags()));
        return new LiveResource(id, name(), a.networkAclId(), p, Map.of("arn", arn(ctx, a.ownerId(), "network-acl", a.networkAclId())));
    }

    /** NACLs in the owned VPCs without netstack's tags (drift); each VPC's default NACL is AWS's own and not reported. */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, reads, "vpc-id", a -> {
            if (Boolean.TRUE.equals(a.isDefault())) return Optional.empty();
            List<String> subnets = a.associations().stream().map(NetworkAclAssociation::subnetId).filter(x -> x != null).sorted().toList();
            return Optional.of(new Unmanaged(name(), a.networkAclId(), a.vpcId(), "network ACL"
                    + (subnets.isEmpty() ? " with no subnets" : " used by " + String.join(", ", subnets))));
        });
    }

    private Optional<NetworkAcl> findAcl(String id, String aclId) {
        // NACLs written together are read back with one call (issue 12).
        return findBatched(id, "DescribeNetworkAcls", aclId, this::describeAcls, NetworkAcl::networkAclId, null);
    }

    /**
     * The NACLs of {@code ids} that exist. By NetworkAclIds, not the network-acl-id filter that AWS
     * also has, because moto 5.2.1 does not implement that filter (docs/moto-notes.md). One missing
     * id fails such a call with InvalidNetworkAclID.NotFound; then each id is asked alone, so only a
     * round with a NACL that is gone, or not visible yet, costs one call per id.
     */
    private List<NetworkAcl> describeAcls(List<String> ids) {
        try {
            return ec2().describeNetworkAcls(r -> r.networkAclIds(ids)).networkAcls();
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            if (e.awsErrorDetails() == null || !"InvalidNetworkAclID.NotFound".equals(e.awsErrorDetails().errorCode())) throw e;
            if (ids.size() == 1) return List.of();
            List<NetworkAcl> out = new ArrayList<>();
            for (String one : ids) out.addAll(describeAcls(List.of(one)));
            return out;
        }
    }

    // ---------------------------------------------------------------- create / update

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String vpcId = spec.text("vpc");
        NetworkAcl a = mutate(ctx, id, "CreateNetworkAcl", () -> ec2().createNetworkAcl(r -> r
                .vpcId(vpcId)
                .clientToken(spec.clientToken())
                .tagSpecifications(Ec2Tags.spec(ResourceType.NETWORK_ACL, spec.tags())))).networkAcl();
        // A new NACL is what the create answered (AWS's fixed deny-all entries, no subnets, its
        // tags): no read-back, and no ensureExists, which a NACL created a moment ago may not pass
        // yet (eventual consistency); the writes below retry its NotFound (issue 12).
        return modify(ctx, translate(ctx, id, a), spec, Set.of("ingress", "egress", "subnets"), true);
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        ensureExists(spec.id(), live.awsId(), () -> findAcl(spec.id(), live.awsId()));
        return modify(ctx, live, spec, changed, false);
    }

    /**
     * {@link #update} of a NACL known to exist, or just created ({@code created}: {@code live} is
     * what CreateNetworkAcl answered, and no one else has touched the NACL).
     */
    private LiveResource modify(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed, boolean created) {
        String id = spec.id(), aclId = live.awsId();
        // Subnets that another NACL of this apply takes over stay here until it takes them with one
        // ReplaceNetworkAclAssociation: releasing them would put them on the default NACL (allow all).
        SubnetClaims.Claim subnets = SubnetClaims.Claim.of(ctx, id, spec.properties().get("subnets"), live.properties().get("subnets"));
        Map<String, Map<Integer, ObjectNode>> wantEntries = Map.of(
                "ingress", NetworkAclEntries.byRule(spec.properties().get("ingress")),
                "egress", NetworkAclEntries.byRule(spec.properties().get("egress")));
        Set<String> entriesChanged = new TreeSet<>();
        // Entries first: a subnet joins the NACL only once its rules are in place (and readable).
        for (String dir : List.of("ingress", "egress")) {
            if (changed.contains(dir) && NetworkAclEntries.sync(ec2(), ctx, id, aclId, dir.equals("egress"), spec.properties().get(dir), live.properties().get(dir))) entriesChanged.add(dir);
        }
        boolean touched = !entriesChanged.isEmpty();
        if (changed.contains("subnets")) {
            // Not for subnets this session created moments ago (issue 12): they carry no traffic yet.
            if (touched && subnets.joining(aws::fresh)) awaitVisible(ctx, id, aclId, entriesChanged, wantEntries, null, subnets.handedOver());
            touched |= associations.sync(ctx, id, aclId, live.properties().path("vpc").asText(spec.text("vpc")), subnets.want(), subnets.have());
        }
        boolean tagged = syncTags(live, spec, changed);
        touched |= tagged;
        if (!touched) return live;
        if (created && !tagged) {
            // A new NACL is what its writes answered (issue 12): CreateNetworkAcl returned it with
            // AWS's fixed entries, each CreateNetworkAclEntry succeeded, each subnet was moved by a
            // ReplaceNetworkAclAssociation that answered its new association id (NACL associations
            // have no transitional state). A read now would only wait out EC2's read lag
            // (docs/aws-facts.md), and one read that sees the writes does not promise the next will.
            return withListsWritten(live, spec, List.of("ingress", "egress", "subnets"));
        }
        Set<String> dirs = new TreeSet<>(changed);
        dirs.retainAll(Set.of("ingress", "egress"));
        // The wait's last answer is the NACL as written: no read-back after it (issue 12).
        NetworkAcl last = awaitVisible(ctx, id, aclId, dirs, wantEntries, changed.contains("subnets") ? subnets.want() : null, subnets.handedOver());
        return translate(ctx, id, last);
    }

    /**
     * Waits until the entries of {@code dirs} and the subnets (unless null; handed-over ones aside) read back as written.
     *
     * @return the NACL as the wait last read it
     */
    private NetworkAcl awaitVisible(TypeContext ctx, String id, String aclId, Set<String> dirs, Map<String, Map<Integer, ObjectNode>> wantEntries,
                                    Set<String> wantSubnets, Set<String> handedOver) {
        return awaitWritten(ctx, id, "entries and associations of " + aclId + " visible", VISIBLE_TIMEOUT, () -> findAcl(id, aclId), a -> {
            ObjectNode p = translate(ctx, id, a).properties();
            boolean ok = SubnetClaims.readAsWanted(p.get("subnets"), wantSubnets, handedOver);
            for (String dir : dirs) ok &= NetworkAclEntries.byRule(p.get(dir)).equals(wantEntries.get(dir));
            return ok;
        });
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), aclId = live.awsId();
        Optional<NetworkAcl> a = findAcl(id, aclId);
        if (a.isEmpty()) return;
        if (Boolean.TRUE.equals(a.get().isDefault())) {
            throw new AwsFailure(ErrorCategory.CONFLICT, id, "DeleteNetworkAcl", null, null,
                    aclId + " is the default network ACL of " + a.get().vpcId() + "; AWS deletes it only with its VPC", null);
        }
        List<String> subnets = a.get().associations().stream().map(NetworkAclAssociation::subnetId).filter(s -> s != null).toList();
        if (!subnets.isEmpty()) {
            associations.releaseAll(ctx, id, aclId, a.get().vpcId(), subnets);
        }
        deleteAndWaitGone(ctx, id, aclId, DELETION, () -> ec2().deleteNetworkAcl(r -> r.networkAclId(aclId)), () -> findAcl(id, aclId), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("CreateNetworkAcl", "CreateNetworkAclEntry", "ReplaceNetworkAclAssociation", "ReplaceNetworkAclEntry"),
                List.of("CreateNetworkAclEntry", "DeleteNetworkAclEntry", "ReplaceNetworkAclAssociation", "ReplaceNetworkAclEntry"),
                List.of("DeleteNetworkAclEntry", "ReplaceNetworkAclAssociation"), true);
    }
}
