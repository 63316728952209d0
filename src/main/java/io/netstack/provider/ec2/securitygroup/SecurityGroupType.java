package io.netstack.provider.ec2.securitygroup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * {@code security-group}: rules inline (so a rule added by hand is drift). Rules are late-bound:
 * groups that reference each other are created empty and get their rules once both exist.
 * {@code egress} omitted means AWS's default for a new group: allow all IPv4 out.
 * On delete, rules naming other groups are revoked first, so mutually referencing groups can go.
 */
public final class SecurityGroupType extends Ec2Type {
    /** Terraform aws_security_group delete timeout: 15 m (ENIs of deleted endpoints/Lambda linger). */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(15);
    static final Deletion DELETION = Deletion.of("DeleteSecurityGroup", DELETE_TIMEOUT, "InvalidGroup.NotFound");
    /** Revoking from a group, or rules, already gone: nothing left to revoke. */
    static final Set<String> REVOKED = Set.of("InvalidGroup.NotFound", "InvalidPermission.NotFound");
    /** Amazon VPC quotas: 60 inbound and 60 outbound rules per group, IPv4 and IPv6 counted apart. */
    static final int MAX_RULES_PER_DIRECTION = 60;

    private static final Schema SCHEMA = new Schema(true, List.of("arn", "name"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.string("name").createOnly().describe("group name; default <stack>-<id>"),
            Property.string("description").createOnly().defaultValue("Managed by netstack"),
            SecurityGroupRules.ruleSchema("ingress", "from").lateBound().defaultEmptyList(),
            SecurityGroupRules.ruleSchema("egress", "to").lateBound().defaultValue(defaultEgress()));

    private final Reads<SecurityGroup> reads = reads("DescribeSecurityGroups", f -> ec2().describeSecurityGroupsPaginator(r -> r.filters(f)).securityGroups(),
            SecurityGroup::groupId, SecurityGroup::tags, this::translate);

    public SecurityGroupType(AwsSession aws) {
        super(aws, "security-group", "security group", SCHEMA);
    }

    static ArrayNode defaultEgress() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.addObject().put("protocol", "all").put("ports", "all").put("to", "0.0.0.0/0");
        return a;
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        SecurityGroupRules.normalize(p, "ingress", "from");
        SecurityGroupRules.normalize(p, "egress", "to");
        return p;
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        SecurityGroupRules.validate(b, v, "/ingress", b.properties().get("ingress"), "from");
        SecurityGroupRules.validate(b, v, "/egress", b.properties().get("egress"), "to");
        String name = b.properties().path("name").asText(null);
        if (name != null) {
            if (name.startsWith("sg-")) v.error(b, "/name", "a group name cannot start with sg- (AWS reserves it)");
            if (name.equalsIgnoreCase("default")) v.error(b, "/name", "\"default\" is the VPC's own group: manage it with the vpc's defaultSecurityGroup");
            if (name.length() > 255) v.error(b, "/name", "group names are at most 255 characters");
        }
        for (String dir : List.of("ingress", "egress")) {
            JsonNode rules = b.properties().get(dir);
            if (rules == null) continue;
            String peer = dir.equals("ingress") ? "from" : "to";
            long v6 = 0, v4 = 0;
            for (JsonNode r : rules) if (r.path(peer).asText().contains(":")) v6++; else v4++;
            if (v4 > MAX_RULES_PER_DIRECTION || v6 > MAX_RULES_PER_DIRECTION) {
                v.warning(b, "/" + dir, "more than " + MAX_RULES_PER_DIRECTION + " " + dir + " rules of one IP family exceeds the default quota");
            }
        }
    }

    /**
     * Every group of the VPCs but their "default" groups (those are the vpc block's
     * {@code defaultSecurityGroup}), from the read shared with the vpc type ({@link #inVpcs}).
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> inVpcs(ec2(), scope), g -> !g.groupName().equals("default"));
    }

    /** The security groups of the import's VPCs: one paginated DescribeSecurityGroups, shared by the vpc type. */
    public static List<SecurityGroup> inVpcs(software.amazon.awssdk.services.ec2.Ec2Client ec2, io.netstack.spi.ImportScope scope) {
        return importRead(scope, "DescribeSecurityGroups", () -> ec2.describeSecurityGroupsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", scope.vpcIds()))).securityGroups());
    }

    private LiveResource translate(TypeContext ctx, String id, SecurityGroup g) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", g.vpcId());
        p.put("name", g.groupName());
        p.put("description", g.description());
        p.set("ingress", SecurityGroupRules.fromAws(g.ipPermissions(), "from"));
        p.set("egress", SecurityGroupRules.fromAws(g.ipPermissionsEgress(), "to"));
        p.set("tags", Ec2Tags.userTags(g.tags()));
        return new LiveResource(id, name(), g.groupId(), p, Map.of(
                "arn", arn(ctx, g.ownerId(), "security-group", g.groupId()),
                "name", g.groupName()));
    }

    private Optional<SecurityGroup> findGroup(String id, String groupId) {
        return findBatched(id, reads, "group-id", groupId, null, DELETED);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String groupId) {
        return findGroup(id, groupId).map(g -> translate(ctx, id, g));
    }

    /** Every VPC has a group named "default" of its own: AWS's, not unmanaged. */
    @Override
    public List<io.netstack.spi.Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        List<io.netstack.spi.Unmanaged> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeSecurityGroups", () -> ec2().describeSecurityGroupsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).securityGroups().forEach(g -> {
            if (!g.groupName().equals("default") && !Ec2Tags.hasOwnership(g.tags())) {
                out.add(new io.netstack.spi.Unmanaged(name(), g.groupId(), g.vpcId(), "security group " + g.groupName()));
            }
        }));
        return out;
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String name = spec.text("name") != null ? spec.text("name") : ctx.stack() + "-" + id;
        String vpcId = spec.text("vpc");
        var created = mutate(ctx, id, "CreateSecurityGroup", () -> ec2().createSecurityGroup(r -> r
                .vpcId(vpcId).groupName(name).description(spec.text("description"))
                .tagSpecifications(Ec2Tags.spec(ResourceType.SECURITY_GROUP, spec.tags()))));
        String groupId = created.groupId();
        aws.created(groupId);
        LiveResource live;
        if (created.securityGroupArn() != null && aws.vpcWithoutIpv6(vpcId)) {
            // No read-back (issue 12): a new group in a VPC without IPv6 has no inbound rules and one
            // outbound rule, all IPv4 traffic to 0.0.0.0/0 (Amazon VPC user guide, "Security group
            // rules": https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html),
            // and the response gives its ARN. The writes below retry the new id's NotFound (rulesOf).
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            p.put("vpc", vpcId);
            p.put("name", name);
            p.put("description", spec.text("description"));
            p.set("ingress", JsonNodeFactory.instance.arrayNode());
            p.set("egress", defaultEgress());
            p.set("tags", Ec2Tags.userTags(Ec2Tags.toTags(spec.tags())));
            live = new LiveResource(id, name(), groupId, p, Map.of("arn", created.securityGroupArn(), "name", name));
        } else {
            // Where the VPC has (or may have) IPv6, read what AWS gave the group rather than assume
            // (batched with the other groups created meanwhile).
            live = readBack(ctx, id, groupId, () -> readOne(ctx, id, groupId));
        }
        return modify(ctx, live, spec, Set.of("ingress", "egress"));
    }

    /**
     * No {@link #ensureExists} when rules change (issue 12): the revoke or authorize itself fails
     * InvalidGroup.NotFound for a group deleted by hand, which {@link #rulesOf} reports at once
     * naming the group (unless the group is fresh: then it is EC2 catching up, and retried). A
     * change of tags alone is checked first: CreateTags does not fail on every backend. An update
     * with nothing to write (the late-bound rules were all authorized at create) calls nothing.
     */
    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        if (changesTags(live, spec, changed) && !changesRules(live, spec, changed)) ensureExists(spec.id(), live.awsId(), () -> findGroup(spec.id(), live.awsId()));
        return modify(ctx, live, spec, changed);
    }

    /** {@code tags} in {@code changed} and really different (a create's follow-up update lists every property). */
    private static boolean changesTags(LiveResource live, ResourceSpec spec, Set<String> changed) {
        JsonNode have = live.properties().get("tags"), want = spec.properties().get("tags");
        JsonNode empty = JsonNodeFactory.instance.objectNode();
        return changed.contains("tags") && !java.util.Objects.equals(have == null ? empty : have, want == null ? empty : want);
    }

    private static boolean changesRules(LiveResource live, ResourceSpec spec, Set<String> changed) {
        for (String dir : List.of("ingress", "egress")) {
            String peer = dir.equals("ingress") ? "from" : "to";
            if (changed.contains(dir) && !SecurityGroupRules.delta(spec.properties().get(dir), live.properties().get(dir), peer).isEmpty()) return true;
        }
        return false;
    }

    /**
     * {@link #update} of a group that exists, or was just created. Returns the group as written
     * without reading it back (issue 12): the rules are then exactly the wanted ones (each call
     * either succeeded or failed the step), in the canonical form a read would give.
     */
    private LiveResource modify(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), groupId = live.awsId();
        ObjectNode written = live.properties().deepCopy();
        boolean touched = false;
        for (String dir : List.of("ingress", "egress")) {
            if (!changed.contains(dir)) continue;
            String peer = dir.equals("ingress") ? "from" : "to";
            var delta = SecurityGroupRules.delta(spec.properties().get(dir), live.properties().get(dir), peer);
            if (delta.isEmpty()) continue;
            // Revoke and authorize are retried apart: a repeated revoke of rules already gone
            // answers InvalidPermission.NotFound, which is success here, not a reason to retry.
            var revoke = new SecurityGroupRules.Delta(java.util.List.of(), delta.remove());
            var authorize = new SecurityGroupRules.Delta(delta.add(), java.util.List.of());
            boolean ingress = dir.equals("ingress");
            rulesOf(ctx, id, groupId, dir, delta, () -> {
                try {
                    SecurityGroupRules.apply(ec2(), id, groupId, ingress, revoke, peer);
                } catch (io.netstack.spi.AwsFailure f) {
                    if (!"InvalidPermission.NotFound".equals(f.code())) throw f;
                }
            });
            rulesOf(ctx, id, groupId, dir, delta, () -> SecurityGroupRules.apply(ec2(), id, groupId, ingress, authorize, peer));
            written.set(dir, spec.properties().get(dir) == null ? JsonNodeFactory.instance.arrayNode() : spec.properties().get(dir).deepCopy());
            SecurityGroupRules.normalize(written, dir, peer);
            touched = true;
        }
        if (changesTags(live, spec, changed)) {
            Ec2Tags.update(ec2(), id, groupId, live.properties().get("tags"), spec.properties().get("tags"));
            return updated(ctx, live, true, () -> readOne(ctx, id, groupId));
        }
        return touched ? new LiveResource(live.id(), live.type(), groupId, written, live.attributes()) : live;
    }

    /**
     * Runs one revoke or authorize of {@code dir}. EC2 is eventually consistent (docs/aws-facts.md,
     * "Eventual consistency"): a group created moments ago by this session, or one its rules name,
     * may still be InvalidGroup.NotFound, which is retried for {@link #PROPAGATION_TIMEOUT}. Any
     * other NotFound is final: about this group (the message names no other group) it is reported
     * as this group deleted outside netstack.
     */
    private void rulesOf(TypeContext ctx, String id, String groupId, String dir, SecurityGroupRules.Delta delta, Runnable call) {
        Set<String> named = new java.util.TreeSet<>();
        for (JsonNode r : delta.add()) named.add(r.path(dir.equals("ingress") ? "from" : "to").asText());
        boolean fresh = aws.fresh(groupId) || named.stream().anyMatch(aws::fresh);
        if (fresh) {
            ctx.retrying(id, dir, Set.of(io.netstack.spi.ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> {
                call.run();
                return null;
            });
            return;
        }
        try {
            call.run();
        } catch (io.netstack.spi.AwsFailure f) {
            boolean aboutOther = f.getMessage() != null && !f.getMessage().contains(groupId) && f.getMessage().matches("(?s).*\\bsg-[0-9a-f]+.*");
            if (f.category() == io.netstack.spi.ErrorCategory.NOT_FOUND && "InvalidGroup.NotFound".equals(f.code()) && !aboutOther) {
                throw new io.netstack.spi.AwsFailure(io.netstack.spi.ErrorCategory.NOT_FOUND, id, f.action(), f.code(), f.requestId(), notFound(id, groupId).getMessage(), f);
            }
            throw f;
        }
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), groupId = live.awsId();
        revokeGroupReferences(ctx, id, groupId);
        deleteAndWaitGone(ctx, id, groupId, DELETION, () -> ec2().deleteSecurityGroup(r -> r.groupId(groupId)), () -> findGroup(id, groupId), Status.exists());
    }

    /** Rules naming other groups block those groups' deletion: drop them from this group first. */
    private void revokeGroupReferences(TypeContext ctx, String id, String groupId) {
        for (SecurityGroup g : findGroup(id, groupId).stream().toList()) {
            List<IpPermission> in = g.ipPermissions().stream().filter(p -> !p.userIdGroupPairs().isEmpty())
                    .map(p -> p.toBuilder().ipRanges(List.of()).ipv6Ranges(List.of()).prefixListIds(List.of()).build()).toList();
            List<IpPermission> out = g.ipPermissionsEgress().stream().filter(p -> !p.userIdGroupPairs().isEmpty())
                    .map(p -> p.toBuilder().ipRanges(List.of()).ipv6Ranges(List.of()).prefixListIds(List.of()).build()).toList();
            if (!in.isEmpty()) runUnlessGone(id, "RevokeSecurityGroupIngress", REVOKED, () -> ec2().revokeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(in)));
            if (!out.isEmpty()) runUnlessGone(id, "RevokeSecurityGroupEgress", REVOKED, () -> ec2().revokeSecurityGroupEgress(r -> r.groupId(groupId).ipPermissions(out)));
        }
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "CreateSecurityGroup"),
                List.of("AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress"),
                List.of("RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress"), false);
    }
}
