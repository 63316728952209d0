package io.netstack.provider.ec2.networkacl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
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
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

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

    private static final Schema SCHEMA = new Schema(true, List.of("arn"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))).defaultEmptyList()
                    .describe("subnets that use this NACL; a subnet removed here goes back to the VPC's default NACL"),
            NetworkAclEntries.schema("ingress").defaultEmptyList(),
            NetworkAclEntries.schema("egress").defaultEmptyList());

    public NetworkAclType(AwsSession aws) {
        super(aws);
    }

    @Override
    public String name() {
        return "network-acl";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
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
        JsonNode subnets = b.properties().get("subnets");
        JsonNode vpc = b.properties().get("vpc");
        if (subnets == null || !subnets.isArray()) return;
        Map<String, Integer> mine = new HashMap<>();
        for (int i = 0; i < subnets.size(); i++) {
            JsonNode s = subnets.get(i);
            String at = "/subnets/" + i;
            String text = s.asText();
            Integer prev = mine.putIfAbsent(text, i);
            if (prev != null) {
                v.error(b, at, text + " is listed twice (subnets[" + prev + "])");
                continue;
            }
            Optional<ResourceBlock> sb = v.target(s);
            if (sb.isPresent()) {
                JsonNode subnetVpc = sb.get().properties().get("vpc");
                if (comparable(subnetVpc, vpc) && !subnetVpc.asText().equals(vpc.asText())) {
                    v.error(b, at, "subnet " + sb.get().id() + " is in " + subnetVpc.asText() + ", not in this network ACL's VPC " + vpc.asText());
                }
            }
            // A subnet has exactly one NACL: report the second claim, on the later NACL.
            for (ResourceBlock other : v.blocksOfType(name())) {
                if (other.id().equals(b.id())) break;
                if (!other.type().equals(name())) continue;
                for (JsonNode os : other.properties().path("subnets")) {
                    if (os.asText().equals(text)) {
                        v.error(b, at, text + " is already associated with network ACL " + other.id() + " (a subnet has exactly one network ACL)");
                    }
                }
            }
        }
    }

    /** Two VPC values name the same thing comparably: both {@code ${id}} references, or both literal ids. */
    static boolean comparable(JsonNode a, JsonNode b) {
        if (a == null || b == null || !a.isTextual() || !b.isTextual()) return false;
        boolean ra = ResourceView.refOf(a).isPresent(), rb = ResourceView.refOf(b).isPresent();
        boolean la = !Reference.containsReference(a.asText()), lb = !Reference.containsReference(b.asText());
        return ra && rb || la && lb;
    }

    /** A subnet has exactly one NACL: moving it between NACLs is a hand-over (one Replace, never via the default NACL). */
    @Override
    public Set<String> exclusiveLists() {
        return Set.of("subnets");
    }

    // ---------------------------------------------------------------- read

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource) {
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(resource, "DescribeNetworkAcls", () -> ec2().describeNetworkAclsPaginator(r -> r.filters(filters)).networkAcls().forEach(a -> {
            if (Boolean.TRUE.equals(a.isDefault())) return;
            Ec2Tags.ownedId(a.tags(), ctx.stack()).ifPresent(id -> out.add(translate(ctx, id, a)));
        }));
        return out;
    }

    LiveResource translate(TypeContext ctx, String id, NetworkAcl a) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", a.vpcId());
        ArrayNode subnets = p.putArray("subnets");
        for (NetworkAclAssociation as : a.associations()) if (as.subnetId() != null) subnets.add(as.subnetId());
        p.set("ingress", NetworkAclEntries.fromAws(a.entries(), false));
        p.set("egress", NetworkAclEntries.fromAws(a.entries(), true));
        p.set("tags", Ec2Tags.userTags(a.tags()));
        return new LiveResource(id, name(), a.networkAclId(), p, Map.of(
                "arn", "arn:aws:ec2:" + ctx.region() + ":" + a.ownerId() + ":network-acl/" + a.networkAclId()));
    }

    /** NACLs in the owned VPCs without netstack's tags (drift); each VPC's default NACL is AWS's own and not reported. */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        List<Unmanaged> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeNetworkAcls", () -> ec2().describeNetworkAclsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).networkAcls().forEach(a -> {
            if (Boolean.TRUE.equals(a.isDefault()) || Ec2Tags.hasOwnership(a.tags())) return;
            List<String> subnets = a.associations().stream().map(NetworkAclAssociation::subnetId).filter(x -> x != null).sorted().toList();
            out.add(new Unmanaged(name(), a.networkAclId(), a.vpcId(), "network ACL"
                    + (subnets.isEmpty() ? " with no subnets" : " used by " + String.join(", ", subnets))));
        }));
        return out;
    }

    private Optional<NetworkAcl> describe(String id, String aclId) {
        return find(id, "DescribeNetworkAcls", () -> ec2().describeNetworkAcls(r -> r.networkAclIds(aclId)).networkAcls())
                .filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    private LiveResource readOne(TypeContext ctx, String id, String aclId) {
        return readBack(ctx, id, aclId, () -> describe(id, aclId).map(a -> List.of(translate(ctx, id, a))).orElse(List.of()));
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
        LiveResource live = readOne(ctx, id, a.networkAclId());
        return update(ctx, live, spec, Set.of("ingress", "egress", "subnets"));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), aclId = live.awsId();
        // Subnets that another NACL of this apply takes over stay here until it takes them with one
        // ReplaceNetworkAclAssociation: releasing them would put them on the default NACL (allow all).
        Set<String> handedOver = ctx.handedOver(id);
        Set<String> wantSubnets = texts(spec.properties().get("subnets")), haveSubnets = texts(live.properties().get("subnets"));
        haveSubnets.removeAll(handedOver);
        Map<String, Map<Integer, ObjectNode>> wantEntries = Map.of(
                "ingress", NetworkAclEntries.byRule(spec.properties().get("ingress")),
                "egress", NetworkAclEntries.byRule(spec.properties().get("egress")));
        Set<String> entriesChanged = new TreeSet<>();
        // Entries first: a subnet joins the NACL only once its rules are in place (and readable).
        for (String dir : List.of("ingress", "egress")) {
            if (changed.contains(dir) && syncEntries(ctx, id, aclId, dir.equals("egress"), spec.properties().get(dir), live.properties().get(dir))) entriesChanged.add(dir);
        }
        boolean touched = !entriesChanged.isEmpty();
        if (changed.contains("subnets")) {
            if (touched && !haveSubnets.containsAll(wantSubnets)) awaitVisible(ctx, id, aclId, entriesChanged, wantEntries, null, handedOver);
            touched |= syncSubnets(ctx, id, aclId, live.properties().path("vpc").asText(spec.text("vpc")), wantSubnets, haveSubnets);
        }
        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), id, aclId, live.properties().get("tags"), spec.properties().get("tags"));
            touched = true;
        }
        if (!touched) return live;
        Set<String> dirs = new TreeSet<>(changed);
        dirs.retainAll(Set.of("ingress", "egress"));
        awaitVisible(ctx, id, aclId, dirs, wantEntries, changed.contains("subnets") ? wantSubnets : null, handedOver);
        return readOne(ctx, id, aclId);
    }

    /** Waits until the entries of {@code dirs} and the subnets (unless null; handed-over ones aside) read back as written. */
    private void awaitVisible(TypeContext ctx, String id, String aclId, Set<String> dirs, Map<String, Map<Integer, ObjectNode>> wantEntries,
                              Set<String> wantSubnets, Set<String> handedOver) {
        ctx.waiter().until(id, "entries and associations of " + aclId + " visible", VISIBLE_TIMEOUT, Set.of("visible"), Set.of(), () -> {
            Optional<NetworkAcl> now = describe(id, aclId);
            if (now.isEmpty()) return new Waiter.Outcome("not visible yet", null);
            ObjectNode p = translate(ctx, id, now.get()).properties();
            boolean ok = true;
            for (String dir : dirs) ok &= NetworkAclEntries.byRule(p.get(dir)).equals(wantEntries.get(dir));
            Set<String> seen = texts(p.get("subnets"));
            seen.removeAll(handedOver);
            if (wantSubnets != null) ok &= seen.equals(wantSubnets);
            return new Waiter.Outcome(ok ? "visible" : "propagating", null);
        });
    }

    /** Replace changed rules, create new ones, then delete dropped ones. */
    private boolean syncEntries(TypeContext ctx, String id, String aclId, boolean egress, JsonNode want, JsonNode have) {
        Map<Integer, ObjectNode> w = NetworkAclEntries.byRule(want), h = NetworkAclEntries.byRule(have);
        boolean touched = false;
        for (Map.Entry<Integer, ObjectNode> e : w.entrySet()) {
            ObjectNode entry = e.getValue();
            if (h.containsKey(e.getKey())) {
                if (h.get(e.getKey()).equals(entry)) continue;
                mutateRun(ctx, id, "ReplaceNetworkAclEntry", () -> ec2().replaceNetworkAclEntry(NetworkAclEntries.replaceRequest(aclId, egress, entry)));
            } else {
                try {
                    mutateRun(ctx, id, "CreateNetworkAclEntry", () -> ec2().createNetworkAclEntry(NetworkAclEntries.createRequest(aclId, egress, entry)));
                } catch (AwsFailure f) {
                    // The rule number appeared since the NACL was read (e.g. an earlier attempt whose response was lost).
                    if (!"NetworkAclEntryAlreadyExists".equals(f.code())) throw f;
                    mutateRun(ctx, id, "ReplaceNetworkAclEntry", () -> ec2().replaceNetworkAclEntry(NetworkAclEntries.replaceRequest(aclId, egress, entry)));
                }
            }
            touched = true;
        }
        for (Integer rule : h.keySet()) {
            if (w.containsKey(rule)) continue;
            find(id, "DeleteNetworkAclEntry", () -> ec2().deleteNetworkAclEntry(r -> r.networkAclId(aclId).egress(egress).ruleNumber(rule)));
            touched = true;
        }
        return touched;
    }

    private boolean syncSubnets(TypeContext ctx, String id, String aclId, String vpcId, Set<String> want, Set<String> have) {
        Set<String> add = new TreeSet<>(want), remove = new TreeSet<>(have);
        add.removeAll(have);
        remove.removeAll(want);
        if (add.isEmpty() && remove.isEmpty()) return false;
        for (String subnetId : add) join(ctx, id, aclId, vpcId, subnetId);
        if (!remove.isEmpty()) {
            String defaultAcl = defaultAcl(id, vpcId);
            for (String subnetId : remove) release(ctx, id, aclId, defaultAcl, subnetId);
        }
        return true;
    }

    /** Where a subnet's one NACL association is. */
    private record Held(String aclId, String associationId, String vpcId, boolean isDefault, List<Tag> aclTags) {}

    private Optional<Held> association(String id, String subnetId) {
        List<NetworkAcl> acls = new ArrayList<>();
        AwsCalls.run(id, "DescribeNetworkAcls", () -> ec2().describeNetworkAclsPaginator(r -> r.filters(Ec2Tags.filter("association.subnet-id", subnetId)))
                .networkAcls().forEach(acls::add));
        for (NetworkAcl a : acls) {
            for (NetworkAclAssociation as : a.associations()) {
                if (subnetId.equals(as.subnetId())) {
                    return Optional.of(new Held(a.networkAclId(), as.networkAclAssociationId(), a.vpcId(), Boolean.TRUE.equals(a.isDefault()), a.tags()));
                }
            }
        }
        return Optional.empty();
    }

    private String defaultAcl(String id, String vpcId) {
        List<NetworkAcl> acls = AwsCalls.call(id, "DescribeNetworkAcls", () -> ec2().describeNetworkAcls(r -> r.filters(
                Ec2Tags.filter("vpc-id", vpcId), Ec2Tags.filter("default", "true"))).networkAcls());
        return acls.stream().filter(a -> Boolean.TRUE.equals(a.isDefault()) && vpcId.equals(a.vpcId())).map(NetworkAcl::networkAclId).findFirst()
                .orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeNetworkAcls", vpcId + " has no default network ACL"));
    }

    /**
     * Moves a subnet onto this NACL. A new subnet's association may not be visible yet, and a
     * subnet moved by another NACL of this apply changes association id: both are retried (as
     * NotFound) by re-reading where the subnet is.
     */
    private void join(TypeContext ctx, String id, String aclId, String vpcId, String subnetId) {
        ctx.retrying(id, "ReplaceNetworkAclAssociation", Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> {
            Held h = association(id, subnetId).orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeNetworkAcls",
                    subnetId + " has no network ACL association (yet)"));
            if (h.aclId().equals(aclId)) return null;
            if (vpcId != null && !vpcId.equals(h.vpcId())) {
                throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, "ReplaceNetworkAclAssociation", null, null,
                        subnetId + " is in " + h.vpcId() + ", not in this network ACL's VPC " + vpcId, null);
            }
            if (!h.isDefault() && Ec2Tags.ownedId(h.aclTags(), ctx.stack()).isEmpty()) {
                throw new AwsFailure(ErrorCategory.CONFLICT, id, "ReplaceNetworkAclAssociation", null, null,
                        subnetId + " uses network ACL " + h.aclId() + ", which " + owner(h.aclTags())
                                + "; netstack takes a subnet only from its VPC's default network ACL or from this stack's: move it there first", null);
            }
            AwsCalls.run(id, "ReplaceNetworkAclAssociation", () -> ec2().replaceNetworkAclAssociation(r -> r.associationId(h.associationId()).networkAclId(aclId)));
            return null;
        });
    }

    /** Moves a subnet that is still on this NACL back to the VPC's default NACL; one already elsewhere is left alone. */
    private void release(TypeContext ctx, String id, String aclId, String defaultAcl, String subnetId) {
        ctx.retrying(id, "ReplaceNetworkAclAssociation", Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> {
            Optional<Held> h = association(id, subnetId);
            if (h.isEmpty() || !h.get().aclId().equals(aclId)) return null;
            AwsCalls.run(id, "ReplaceNetworkAclAssociation", () -> ec2().replaceNetworkAclAssociation(r -> r.associationId(h.get().associationId()).networkAclId(defaultAcl)));
            return null;
        });
    }

    static String owner(List<Tag> tags) {
        for (Tag t : tags) if (Ownership.STACK_TAG.equals(t.key())) return "belongs to netstack stack " + t.value();
        return "netstack does not manage";
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), aclId = live.awsId();
        Optional<NetworkAcl> a = describe(id, aclId);
        if (a.isEmpty()) return;
        if (Boolean.TRUE.equals(a.get().isDefault())) {
            throw new AwsFailure(ErrorCategory.CONFLICT, id, "DeleteNetworkAcl", null, null,
                    aclId + " is the default network ACL of " + a.get().vpcId() + "; AWS deletes it only with its VPC", null);
        }
        List<String> subnets = a.get().associations().stream().map(NetworkAclAssociation::subnetId).filter(s -> s != null).toList();
        if (!subnets.isEmpty()) {
            String defaultAcl = defaultAcl(id, a.get().vpcId());
            for (String subnetId : subnets) release(ctx, id, aclId, defaultAcl, subnetId);
        }
        delete(ctx, id, "DeleteNetworkAcl", DELETE_TIMEOUT, () -> ec2().deleteNetworkAcl(r -> r.networkAclId(aclId)));
        ctx.waiter().until(id, "network ACL " + aclId + " deleted", DELETE_TIMEOUT, Set.of(Waiter.GONE), Set.of(), () ->
                describe(id, aclId).map(x -> new Waiter.Outcome("exists", null)).orElse(new Waiter.Outcome(Waiter.GONE, null)));
    }

    static Set<String> texts(JsonNode list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null && list.isArray()) for (JsonNode n : list) out.add(n.asText());
        return out;
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeNetworkAcls"),
                java.util.List.of("ec2:CreateNetworkAcl", "ec2:CreateNetworkAclEntry", "ec2:CreateTags", "ec2:ReplaceNetworkAclAssociation", "ec2:ReplaceNetworkAclEntry"),
                java.util.List.of("ec2:CreateNetworkAclEntry", "ec2:CreateTags", "ec2:DeleteNetworkAclEntry", "ec2:DeleteTags", "ec2:ReplaceNetworkAclAssociation", "ec2:ReplaceNetworkAclEntry"),
                java.util.List.of("ec2:DeleteNetworkAcl", "ec2:DeleteNetworkAclEntry", "ec2:ReplaceNetworkAclAssociation"),
                java.util.List.of("ec2:DescribeNetworkAcls"));
    }
}
