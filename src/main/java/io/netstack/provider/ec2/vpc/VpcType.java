package io.netstack.provider.ec2.vpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.provider.ec2.networkacl.NetworkAclEntries;
import io.netstack.provider.ec2.routetable.RouteTableRoutes;
import io.netstack.provider.ec2.routetable.RouteTableSync;
import io.netstack.provider.ec2.securitygroup.SecurityGroupRules;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tenancy;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockAssociation;
import software.amazon.awssdk.services.ec2.model.VpcIpv6CidrBlockAssociation;

/**
 * {@code vpc}: CIDR (create-only), secondary CIDRs, Amazon-provided IPv6 /56, DNS attributes,
 * tenancy, and optionally the rules of the VPC's default security group, the routes of its main
 * route table and the entries of its default NACL (objects AWS makes with the VPC: changed in
 * place, never tagged or deleted; the route and entry verbs are route-table's and network-acl's).
 *
 * <p>Reads: one paginated DescribeVpcs for the stack, DescribeVpcAttribute twice per VPC — the
 * only per-resource read of a plan: EC2 returns enableDnsSupport/enableDnsHostnames nowhere else
 * (docs/aws-facts.md) — and, only when the file manages them or references their ids
 * ({@code VpcReads.Wanted}), one DescribeSecurityGroups for all default groups, one
 * DescribeRouteTables for all main tables, one DescribeNetworkAcls for all default NACLs.
 */
public final class VpcType extends Ec2Type {
    /** Terraform: aws_vpc create 20 m is for IPAM; plain VPCs are available within seconds. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(5);
    /** Terraform vpcDeletedTimeout is 5 m: ENIs of deleted NAT gateways/endpoints take minutes to go. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    /** A CIDR (dis)association is normally immediate; Terraform waits up to 10 m for IPv6. */
    static final Duration CIDR_ASSOCIATION_TIMEOUT = Duration.ofMinutes(10);
    /** Amazon VPC quotas: 5 IPv4 CIDR blocks per VPC (adjustable), so 4 secondary. */
    static final int MAX_SECONDARY_CIDRS = 4;

    static final Status<Vpc> STATE = Status.of(Vpc::stateAsString);
    static final Wait AVAILABLE = Wait.created("available", CREATE_TIMEOUT, "available");
    static final Wait SECONDARY_CIDRS_ASSOCIATED = Wait.until("secondary CIDRs associated", CIDR_ASSOCIATION_TIMEOUT, "done").failingOn("failed");
    static final Wait IPV6_ASSOCIATED = Wait.until("IPv6 block associated", CIDR_ASSOCIATION_TIMEOUT, "yes");
    static final Deletion DELETION = Deletion.of("DeleteVpc", DELETE_TIMEOUT, "InvalidVpcID.NotFound");

    private static final Schema SCHEMA = new Schema(true,
            List.of("defaultSecurityGroupId", "defaultRouteTableId", "defaultNetworkAclId", "ipv6Cidr", "arn"),
            Property.cidr("cidr").required().createOnly().describe("primary IPv4 block, /16 to /28"),
            Property.list("secondaryCidrs", Property.cidr("cidr")).defaultEmptyList(),
            Property.bool("ipv6").defaultValue(false).describe("associate an Amazon-provided IPv6 /56"),
            Property.bool("dnsSupport").defaultValue(true),
            Property.bool("dnsHostnames").defaultValue(false),
            Property.string("tenancy").createOnly().oneOf("default", "dedicated").defaultValue("default"),
            Property.object("defaultSecurityGroup",
                    SecurityGroupRules.ruleSchema("ingress", "from").defaultEmptyList(),
                    SecurityGroupRules.ruleSchema("egress", "to").defaultEmptyList())
                    .describe("manage the rules of the VPC's default security group; {} = no rules"),
            Property.object("mainRouteTable", RouteTableRoutes.routesSchema().defaultEmptyList())
                    .describe("manage the routes of the VPC's main route table; {} = only AWS's local routes"),
            Property.object("defaultNetworkAcl",
                    NetworkAclEntries.schema("ingress").defaultEmptyList(),
                    NetworkAclEntries.schema("egress").defaultEmptyList())
                    .describe("manage the entries of the VPC's default network ACL; {} = no entries: all traffic denied"),
            Property.ref("dhcpOptions", List.of("dhcp-options"), List.of("dopt-"))
                    .describe("the DHCP options set the VPC uses; omitted: not managed (AWS's default set)"));

    private final RouteTableSync routes;
    private final VpcReads reads;

    public VpcType(AwsSession aws) {
        super(aws, "vpc", "VPC", SCHEMA);
        routes = new RouteTableSync(aws);
        reads = new VpcReads(aws, name());
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        return VpcValidation.normalize(p);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        VpcValidation.validate(b, v);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return reads.read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null);
    }

    /** The VPCs of the scope, owned or not, with their defaults ({@link VpcReads#importable}). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return reads.importable(ctx, scope);
    }

    /** The import's VPCs: one DescribeVpcs filtered by vpc-id, shared with the dhcp-options type. */
    public static List<Vpc> inScope(software.amazon.awssdk.services.ec2.Ec2Client ec2, io.netstack.spi.ImportScope scope) {
        return scope.shared("DescribeVpcs", () -> {
            List<Vpc> all = new ArrayList<>();
            AwsCalls.run(null, "DescribeVpcs", () -> ec2.describeVpcsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", scope.vpcIds()))).vpcs().forEach(v -> {
                if (scope.vpcIds().contains(v.vpcId())) all.add(v);
            }));
            return all;
        });
    }

    /**
     * The VPC's Amazon IPv6 block. moto returns a malformed association state to the Java SDK
     * (docs/moto-notes.md), so any association that is not explicitly disassociat(ing|ed) counts.
     */
    public static String ipv6Cidr(Vpc vpc) {
        for (VpcIpv6CidrBlockAssociation a : vpc.ipv6CidrBlockAssociationSet()) {
            String s = a.ipv6CidrBlockState() == null ? null : a.ipv6CidrBlockState().stateAsString();
            if (s != null && s.startsWith("disassociat")) continue;
            if (a.ipv6CidrBlock() != null && !a.ipv6CidrBlock().isEmpty()) return Cidr.canonical(a.ipv6CidrBlock());
        }
        return null;
    }

    private Optional<Vpc> findVpc(String id, String vpcId) {
        // The vpc-id filter, not VpcIds: one missing id would fail the whole batched call.
        return findBatched(id, "DescribeVpcs", vpcId, ids -> ec2().describeVpcs(r -> r.filters(Ec2Tags.filter("vpc-id", ids))).vpcs(),
                Vpc::vpcId, Vpc::stateAsString);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String vpcId) {
        return reads.read(ctx, List.of(Ec2Tags.filter("vpc-id", vpcId)), id).stream().findFirst();
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        Vpc vpc = AwsCalls.call(id, "CreateVpc", () -> ec2().createVpc(r -> r
                .cidrBlock(spec.text("cidr"))
                .instanceTenancy(Tenancy.fromValue(spec.text("tenancy")))
                .amazonProvidedIpv6CidrBlock(spec.bool("ipv6", false))
                .tagSpecifications(Ec2Tags.spec(ResourceType.VPC, spec.tags())))).vpc();
        String vpcId = vpc.vpcId();
        var seen = new java.util.concurrent.atomic.AtomicReference<>(vpc);
        await(ctx, id, vpcId, AVAILABLE, () -> findVpc(id, vpcId).map(o -> {
            seen.set(o);
            return o;
        }), STATE);
        // The wait just saw the VPC: no read-back of it, no ensureExists (issue 12). Its DNS
        // attributes are AWS's defaults for a VPC made by CreateVpc, enableDnsSupport true and
        // enableDnsHostnames false (Amazon VPC user guide, "DNS attributes for your VPC":
        // https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support),
        // so DescribeVpcAttribute is not asked. Only the objects AWS made with it are read, until
        // all three are visible (eventual consistency).
        LiveResource live = readBack(ctx, id, vpcId, () -> {
            VpcReads.Defaults d = reads.defaults(id, List.of(vpcId));
            return d.complete(vpcId) ? Optional.of(reads.translate(ctx, id, seen.get(), d, true, false)) : Optional.empty();
        });
        return modify(ctx, live, spec, seen.get(), Set.of("dnsSupport", "dnsHostnames", "secondaryCidrs", "ipv6", "defaultSecurityGroup", "mainRouteTable", "defaultNetworkAcl", "dhcpOptions"));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        Vpc now = ensureExists(spec.id(), live.awsId(), () -> findVpc(spec.id(), live.awsId()));
        return modify(ctx, live, spec, now, changed);
    }

    /** {@link #update} of a VPC known to exist ({@code now}: as last read). */
    private LiveResource modify(TypeContext ctx, LiveResource live, ResourceSpec spec, Vpc now, Set<String> changed) {
        String id = spec.id();
        String vpcId = live.awsId();
        ObjectNode have = live.properties();
        ObjectNode want = spec.properties();
        boolean touched = false;
        // Whether something was changed that only a read can tell (new CIDR associations, DHCP options, tags).
        boolean reread = false;
        // enableDnsHostnames needs enableDnsSupport: turn support on first and off last.
        boolean supportOn = want.path("dnsSupport").asBoolean(true), hostnamesOn = want.path("dnsHostnames").asBoolean(false);
        if (changed.contains("dnsSupport") && supportOn != have.path("dnsSupport").asBoolean() && supportOn) {
            setAttribute(ctx, id, vpcId, VpcAttributeName.ENABLE_DNS_SUPPORT, true);
            touched = true;
        }
        if (changed.contains("dnsHostnames") && hostnamesOn != have.path("dnsHostnames").asBoolean()) {
            setAttribute(ctx, id, vpcId, VpcAttributeName.ENABLE_DNS_HOSTNAMES, hostnamesOn);
            touched = true;
        }
        if (changed.contains("dnsSupport") && supportOn != have.path("dnsSupport").asBoolean() && !supportOn) {
            setAttribute(ctx, id, vpcId, VpcAttributeName.ENABLE_DNS_SUPPORT, false);
            touched = true;
        }
        if (changed.contains("secondaryCidrs")) reread |= syncSecondary(ctx, id, now, want.get("secondaryCidrs"), have.get("secondaryCidrs"));
        if (changed.contains("ipv6") && want.path("ipv6").asBoolean(false) != have.path("ipv6").asBoolean(false)) {
            syncIpv6(ctx, id, now, want.path("ipv6").asBoolean(false));
            reread = true;
        }
        JsonNode dsg = want.get("defaultSecurityGroup");
        if (changed.contains("defaultSecurityGroup") && dsg != null && !dsg.isNull()) {
            touched |= VpcDefaults.syncSecurityGroup(ec2(), id, live.attributes().get("defaultSecurityGroupId"), dsg, have.path("defaultSecurityGroup"));
        }
        JsonNode main = want.get("mainRouteTable");
        String tableId = live.attributes().get("defaultRouteTableId");
        if (changed.contains("mainRouteTable") && main != null && main.isObject() && tableId != null) {
            touched |= routes.routes(ctx, id, tableId, main.get("routes"), have.path("mainRouteTable").get("routes"));
        }
        JsonNode acl = want.get("defaultNetworkAcl");
        String aclId = live.attributes().get("defaultNetworkAclId");
        if (changed.contains("defaultNetworkAcl") && acl != null && acl.isObject() && aclId != null) {
            touched |= NetworkAclEntries.sync(ec2(), ctx, id, aclId, false, acl.get("ingress"), have.path("defaultNetworkAcl").get("ingress"));
            touched |= NetworkAclEntries.sync(ec2(), ctx, id, aclId, true, acl.get("egress"), have.path("defaultNetworkAcl").get("egress"));
        }
        if (changed.contains("dhcpOptions")) reread |= syncDhcpOptions(ctx, id, vpcId, want.path("dhcpOptions").asText(null), have.path("dhcpOptions").asText(null));
        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), id, vpcId, have.get("tags"), want.get("tags"));
            reread = true;
        }
        if (reread) return updated(ctx, live, true, () -> readOne(ctx, id, vpcId));
        return touched ? written(live, want) : live;
    }

    /** Properties whose wanted value is, once its calls succeeded, what a read gives (after normalize). */
    private static final List<String> WRITTEN_AS_WANTED = List.of("dnsSupport", "dnsHostnames", "defaultSecurityGroup", "mainRouteTable", "defaultNetworkAcl");

    /**
     * The VPC as just written, without reading it back (a read is six calls: the VPC, its three
     * default objects, two attributes; issue 12): each property above whose calls all succeeded now
     * has its wanted value, in the canonical form of {@link #normalize}; the attributes (ids of the
     * default objects) do not change. An omitted property is not managed and keeps what was read.
     */
    private LiveResource written(LiveResource live, ObjectNode want) {
        ObjectNode p = live.properties().deepCopy();
        for (String name : WRITTEN_AS_WANTED) {
            JsonNode w = want.get(name);
            if (w == null || w.isNull()) continue;
            if (w.isObject() && !p.has(name)) continue; // that default object was not found: nothing was written to it
            p.set(name, w.deepCopy());
        }
        return new LiveResource(live.id(), live.type(), live.awsId(), VpcValidation.normalize(p), live.attributes());
    }

    /**
     * Associates the wanted DHCP options set; none wanted (only when the set this VPC used is being
     * deleted: an omitted dhcpOptions is not managed) is AWS's "default": no options, so the set can go.
     */
    private boolean syncDhcpOptions(TypeContext ctx, String id, String vpcId, String want, String have) {
        String target = want == null || want.isEmpty() ? "default" : want;
        if (target.equals(have)) return false;
        mutateRun(ctx, id, "AssociateDhcpOptions", () -> ec2().associateDhcpOptions(r -> r.vpcId(vpcId).dhcpOptionsId(target)));
        return true;
    }

    private void setAttribute(TypeContext ctx, String id, String vpcId, VpcAttributeName name, boolean value) {
        AttributeBooleanValue v = AttributeBooleanValue.builder().value(value).build();
        mutateRun(ctx, id, "ModifyVpcAttribute", () -> ec2().modifyVpcAttribute(r -> {
            r.vpcId(vpcId);
            if (name == VpcAttributeName.ENABLE_DNS_SUPPORT) r.enableDnsSupport(v);
            else r.enableDnsHostnames(v);
        }));
    }

    private boolean syncSecondary(TypeContext ctx, String id, Vpc vpc, JsonNode want, JsonNode have) {
        String vpcId = vpc.vpcId();
        Set<String> w = new HashSet<>(), h = new HashSet<>();
        if (want != null) want.forEach(c -> w.add(Cidr.canonical(c.asText())));
        if (have != null) have.forEach(c -> h.add(Cidr.canonical(c.asText())));
        if (w.equals(h)) return false;
        for (VpcCidrBlockAssociation a : vpc.cidrBlockAssociationSet()) {
            if (!a.cidrBlock().equals(vpc.cidrBlock()) && h.contains(Cidr.canonical(a.cidrBlock())) && !w.contains(Cidr.canonical(a.cidrBlock()))) {
                AwsCalls.run(id, "DisassociateVpcCidrBlock", () -> ec2().disassociateVpcCidrBlock(r -> r.associationId(a.associationId())));
            }
        }
        for (String c : w) {
            if (!h.contains(c)) mutateRun(ctx, id, "AssociateVpcCidrBlock", () -> ec2().associateVpcCidrBlock(r -> r.vpcId(vpcId).cidrBlock(c)));
        }
        await(ctx, id, vpcId, SECONDARY_CIDRS_ASSOCIATED, () -> findVpc(id, vpcId), now -> {
            for (VpcCidrBlockAssociation a : now.cidrBlockAssociationSet()) {
                String s = a.cidrBlockState() == null ? "associated" : a.cidrBlockState().stateAsString();
                if ("failed".equals(s) && w.contains(Cidr.canonical(a.cidrBlock()))) return new Waiter.Outcome("failed", a.cidrBlockState().statusMessage());
                if (s != null && s.endsWith("ing")) return new Waiter.Outcome(s, null);
            }
            return new Waiter.Outcome("done", null);
        });
        return true;
    }

    private void syncIpv6(TypeContext ctx, String id, Vpc vpc, boolean on) {
        String vpcId = vpc.vpcId();
        if (on) {
            aws.unknownVpcIpv6(vpcId);
            mutateRun(ctx, id, "AssociateVpcCidrBlock", () -> ec2().associateVpcCidrBlock(r -> r.vpcId(vpcId).amazonProvidedIpv6CidrBlock(true)));
            await(ctx, id, vpcId, IPV6_ASSOCIATED, () -> findVpc(id, vpcId), now -> new Waiter.Outcome(ipv6Cidr(now) != null ? "yes" : "associating", null));
        } else {
            aws.unknownVpcIpv6(vpcId);
            for (VpcIpv6CidrBlockAssociation a : vpc.ipv6CidrBlockAssociationSet()) {
                AwsCalls.run(id, "DisassociateVpcCidrBlock", () -> ec2().disassociateVpcCidrBlock(r -> r.associationId(a.associationId())));
            }
        }
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), vpcId = live.awsId();
        deleteAndWaitGone(ctx, id, vpcId, DELETION, () -> {
            try {
                ec2().deleteVpc(r -> r.vpcId(vpcId));
            } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
                if (e.awsErrorDetails() != null && "DependencyViolation".equals(e.awsErrorDetails().errorCode())) {
                    List<String> foreign = VpcDefaults.foreignContents(ec2(), vpcId);
                    if (!foreign.isEmpty()) {
                        // Waiting would not help: netstack never deletes what it does not own.
                        throw new io.netstack.spi.AwsFailure(io.netstack.spi.ErrorCategory.CONFLICT, id, "DeleteVpc", "DependencyViolation", e.requestId(),
                                vpcId + " still contains objects netstack does not own (delete them, or keep the VPC): " + String.join("; ", foreign), e);
                    }
                }
                throw e;
            }
        }, () -> findVpc(id, vpcId), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(List.of("DescribeInternetGateways", "DescribeNetworkAcls", "DescribeNetworkInterfaces", "DescribeRouteTables", "DescribeSecurityGroups", "DescribeSubnets", "DescribeVpcAttribute", "DescribeVpcs"),
                DELETION, List.of("AssociateDhcpOptions", "AssociateVpcCidrBlock", "AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "CreateNetworkAclEntry", "CreateRoute", "CreateVpc", "DeleteNetworkAclEntry", "DeleteRoute", "ModifyVpcAttribute", "ReplaceNetworkAclEntry", "ReplaceRoute", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress"),
                List.of("AssociateDhcpOptions", "AssociateVpcCidrBlock", "AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "CreateNetworkAclEntry", "CreateRoute", "DeleteNetworkAclEntry", "DeleteRoute", "DisassociateVpcCidrBlock", "ModifyVpcAttribute", "ReplaceNetworkAclEntry", "ReplaceRoute", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress"),
                List.of("DisassociateVpcCidrBlock"), false);
    }
}
