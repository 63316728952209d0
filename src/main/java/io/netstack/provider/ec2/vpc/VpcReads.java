package io.netstack.provider.ec2.vpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.spi.LiveResource;
import io.netstack.spi.TypeContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockAssociation;

/**
 * The reads of {@link VpcType}: its {@code list}, its read-back and {@code import}'s VPCs, each VPC
 * translated with its DNS attributes and the objects AWS makes with it (default security group,
 * main route table, default NACL), read with one filtered call each for all the VPCs at once, and
 * by a plan only when its file needs them ({@link Wanted}).
 */
final class VpcReads {
    private final AwsSession aws;
    private final String typeName;

    VpcReads(AwsSession aws, String typeName) {
        this.aws = aws;
        this.typeName = typeName;
    }

    private Ec2Client ec2() {
        return aws.ec2();
    }

    List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource) {
        Map<String, String> ids = new LinkedHashMap<>();
        List<Vpc> vpcs = vpcs(filters, resource, Ec2Tags.owned(ctx.stack()), ids);
        if (vpcs.isEmpty()) return List.of();
        return translate(ctx, vpcs, ids, defaults(resource, ids.keySet(), Wanted.of(ctx.needs(typeName))));
    }

    /**
     * Which of the objects AWS makes with a VPC a read must fetch (issue 12): each costs one call
     * for all the VPCs, and is needed only when the file manages it ({@code defaultSecurityGroup},
     * {@code mainRouteTable}, {@code defaultNetworkAcl}: then a change made by hand is drift) or
     * references its id ({@code ${vpc.defaultSecurityGroupId}} …: an apply resolves it from the
     * plan's read). No other type's plan uses them: security-group, route-table and network-acl
     * leave the VPC's own objects out of their lists by their own filters, and network-acl, which
     * gives subnets back to the default NACL in an apply, reads its id then if this run has not
     * ({@code AwsSession.defaultNetworkAcl}). Without a stack file (apply read-backs, destroy,
     * another stack's reference) everything is read.
     */
    record Wanted(boolean group, boolean mainTable, boolean acl) {
        static final Wanted ALL = new Wanted(true, true, true);

        static Wanted of(io.netstack.spi.ReadNeeds needs) {
            return new Wanted(needs.property("defaultSecurityGroup") || needs.attribute("defaultSecurityGroupId"),
                    needs.property("mainRouteTable") || needs.attribute("defaultRouteTableId"),
                    needs.property("defaultNetworkAcl") || needs.attribute("defaultNetworkAclId"));
        }
    }


    private List<Vpc> vpcs(List<Filter> filters, String resource, Ec2Tags.Select select, Map<String, String> ids) {
        List<Vpc> vpcs = new ArrayList<>();
        DescribeVpcsRequest req = DescribeVpcsRequest.builder().filters(filters).build();
        AwsCalls.run(resource, "DescribeVpcs", () -> ec2().describeVpcsPaginator(req).vpcs().forEach(vpc ->
                select.id(vpc.tags(), vpc.vpcId()).ifPresent(id -> {
                    vpcs.add(vpc);
                    ids.put(vpc.vpcId(), id);
                })));
        return vpcs;
    }

    private List<LiveResource> translate(TypeContext ctx, List<Vpc> vpcs, Map<String, String> ids, Defaults defaults) {
        List<LiveResource> out = new ArrayList<>();
        for (Vpc vpc : vpcs) {
            String id = ids.get(vpc.vpcId());
            out.add(translate(ctx, id, vpc, defaults, attribute(id, vpc.vpcId(), VpcAttributeName.ENABLE_DNS_SUPPORT),
                    attribute(id, vpc.vpcId(), VpcAttributeName.ENABLE_DNS_HOSTNAMES)));
        }
        return out;
    }

    /** The objects AWS makes with each VPC, by VPC id (any may be missing). */
    record Defaults(Map<String, SecurityGroup> groups, Map<String, RouteTable> mainTables, Map<String, NetworkAcl> acls) {
        boolean complete(String vpcId) {
            return groups.containsKey(vpcId) && mainTables.containsKey(vpcId) && acls.containsKey(vpcId);
        }
    }

    /** The default security groups, main route tables and default NACLs of {@code vpcIds}: one filtered call each, for all of them. */
    Defaults defaults(String resource, java.util.Collection<String> vpcIds) {
        return defaults(resource, vpcIds, Wanted.ALL);
    }

    /** {@link #defaults(String, java.util.Collection)}, only those {@code wanted} (the others come back empty). */
    Defaults defaults(String resource, java.util.Collection<String> vpcIds, Wanted wanted) {
        Map<String, SecurityGroup> groups = new HashMap<>();
        if (wanted.group()) AwsCalls.run(resource, "DescribeSecurityGroups", () -> ec2().describeSecurityGroupsPaginator(r -> r.filters(
                Ec2Tags.filter("vpc-id", vpcIds), Ec2Tags.filter("group-name", "default")))
                .securityGroups().forEach(g -> groups.put(g.vpcId(), g)));
        Map<String, RouteTable> mainTables = new HashMap<>();
        if (wanted.mainTable()) AwsCalls.run(resource, "DescribeRouteTables", () -> ec2().describeRouteTablesPaginator(r -> r.filters(
                Ec2Tags.filter("vpc-id", vpcIds), Ec2Tags.filter("association.main", "true")))
                .routeTables().forEach(t -> mainTables.put(t.vpcId(), t)));
        Map<String, NetworkAcl> acls = new HashMap<>();
        if (wanted.acl()) AwsCalls.run(resource, "DescribeNetworkAcls", () -> ec2().describeNetworkAclsPaginator(r -> r.filters(
                Ec2Tags.filter("vpc-id", vpcIds), Ec2Tags.filter("default", "true")))
                .networkAcls().forEach(a -> acls.put(a.vpcId(), a)));
        // network-acl gives subnets back to the default NACL: it need not read it again (issue 12).
        acls.forEach((vpcId, a) -> aws.knownDefaultNetworkAcl(vpcId, a.networkAclId()));
        return new Defaults(groups, mainTables, acls);
    }

    LiveResource translate(TypeContext ctx, String id, Vpc vpc, Defaults defaults, boolean dnsSupport, boolean dnsHostnames) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("cidr", vpc.cidrBlock());
        ArrayNode sec = p.putArray("secondaryCidrs");
        for (VpcCidrBlockAssociation a : vpc.cidrBlockAssociationSet()) {
            String state = a.cidrBlockState() == null ? "associated" : a.cidrBlockState().stateAsString();
            if (!a.cidrBlock().equals(vpc.cidrBlock()) && ("associated".equals(state) || "associating".equals(state))) sec.add(a.cidrBlock());
        }
        String ipv6 = VpcType.ipv6Cidr(vpc);
        aws.knownVpcIpv6(vpc.vpcId(), ipv6);
        p.put("ipv6", ipv6 != null);
        p.put("dnsSupport", dnsSupport);
        p.put("dnsHostnames", dnsHostnames);
        p.put("tenancy", vpc.instanceTenancyAsString());
        SecurityGroup dsg = defaults.groups().get(vpc.vpcId());
        RouteTable main = defaults.mainTables().get(vpc.vpcId());
        NetworkAcl acl = defaults.acls().get(vpc.vpcId());
        VpcDefaults.read(p, dsg, main, acl);
        if (vpc.dhcpOptionsId() != null) p.put("dhcpOptions", vpc.dhcpOptionsId());
        p.set("tags", Ec2Tags.userTags(vpc.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (dsg != null) attrs.put("defaultSecurityGroupId", dsg.groupId());
        if (main != null) attrs.put("defaultRouteTableId", main.routeTableId());
        if (acl != null) attrs.put("defaultNetworkAclId", acl.networkAclId());
        if (ipv6 != null) attrs.put("ipv6Cidr", ipv6);
        attrs.put("arn", Ec2Type.arn(ctx, vpc.ownerId(), "vpc", vpc.vpcId()));
        return new LiveResource(id, typeName, vpc.vpcId(), p, attrs);
    }

    private boolean attribute(String id, String vpcId, VpcAttributeName name) {
        var r = AwsCalls.call(id, "DescribeVpcAttribute", () -> ec2().describeVpcAttribute(b -> b.vpcId(vpcId).attribute(name)));
        AttributeBooleanValue v = name == VpcAttributeName.ENABLE_DNS_SUPPORT ? r.enableDnsSupport() : r.enableDnsHostnames();
        return v != null && Boolean.TRUE.equals(v.value());
    }

    /**
     * The VPCs of the scope, owned or not. Their default security group, main route table and
     * default NACL come from the reads the security-group, route-table and network-acl types import
     * from (shared: one call each for the whole import). {@code dhcpOptions} is kept only for a set
     * of the user's, which the dhcp-options type imports; AWS's default set is left out (not managed).
     */
    List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        if (scope.byReference() || scope.vpcIds().isEmpty()) return List.of();
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, Vpc> byId = new HashMap<>();
        List<Vpc> vpcs = VpcType.inScope(ec2(), scope);
        vpcs.forEach(v -> ids.put(v.vpcId(), v.vpcId()));
        Set<String> ownSets = new HashSet<>();
        for (var d : io.netstack.provider.ec2.dhcpoptions.DhcpOptionsType.ofVpcs(ec2(), scope)) {
            if (!io.netstack.provider.ec2.dhcpoptions.DhcpOptionsType.awsDefault(d)) ownSets.add(d.dhcpOptionsId());
        }
        vpcs.forEach(v -> {
            byId.put(v.vpcId(), v);
            if (v.ownerId() != null) scope.accounts().add(v.ownerId());
        });
        Map<String, SecurityGroup> defaults = new HashMap<>();
        for (SecurityGroup g : io.netstack.provider.ec2.securitygroup.SecurityGroupType.inVpcs(ec2(), scope)) if (g.groupName().equals("default")) defaults.put(g.vpcId(), g);
        Map<String, RouteTable> mainTables = new HashMap<>();
        for (RouteTable t : io.netstack.provider.ec2.routetable.RouteTableType.inVpcs(ec2(), scope)) if (io.netstack.provider.ec2.routetable.RouteTableType.main(t)) mainTables.put(t.vpcId(), t);
        Map<String, NetworkAcl> defaultAcls = new HashMap<>();
        for (NetworkAcl a : io.netstack.provider.ec2.networkacl.NetworkAclType.inVpcs(ec2(), scope)) if (Boolean.TRUE.equals(a.isDefault())) defaultAcls.put(a.vpcId(), a);
        List<LiveResource> out = new ArrayList<>();
        for (LiveResource r : translate(ctx, vpcs, ids, new Defaults(defaults, mainTables, defaultAcls))) {
            if (!ownSets.contains(r.properties().path("dhcpOptions").asText())) r.properties().remove("dhcpOptions");
            out.add(Ec2Tags.any().mark(r, byId.get(r.awsId()).tags()));
        }
        return out;
    }
}
