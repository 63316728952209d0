package io.netstack.provider.ec2.vpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.ec2.networkacl.NetworkAclEntries;
import io.netstack.provider.ec2.routetable.RouteTableRoutes;
import io.netstack.provider.ec2.securitygroup.SecurityGroupRules;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * The objects AWS makes with a {@link VpcType} VPC (default security group, main route table,
 * default NACL) as stack JSON, and what else in the VPC is not netstack's.
 */
final class VpcDefaults {
    private VpcDefaults() {}

    /** Puts the rules of the VPC's default objects (each may be missing) into {@code p}. */
    static void read(ObjectNode p, SecurityGroup dsg, RouteTable main, NetworkAcl acl) {
        if (dsg != null) {
            ObjectNode rules = p.putObject("defaultSecurityGroup");
            rules.set("ingress", SecurityGroupRules.fromAws(dsg.ipPermissions(), "from"));
            rules.set("egress", SecurityGroupRules.fromAws(dsg.ipPermissionsEgress(), "to"));
        }
        if (main != null) p.putObject("mainRouteTable").set("routes", RouteTableRoutes.fromAws(main.routes()));
        if (acl != null) {
            ObjectNode entries = p.putObject("defaultNetworkAcl");
            entries.set("ingress", NetworkAclEntries.fromAws(acl.entries(), false));
            entries.set("egress", NetworkAclEntries.fromAws(acl.entries(), true));
        }
    }

    /** Brings the rules of the VPC's default security group {@code groupId} from {@code haveRules} to {@code dsg}. */
    static boolean syncSecurityGroup(Ec2Client ec2, String id, String groupId, JsonNode dsg, JsonNode haveRules) {
        var in = SecurityGroupRules.delta(dsg.get("ingress"), haveRules.get("ingress"), "from");
        var out = SecurityGroupRules.delta(dsg.get("egress"), haveRules.get("egress"), "to");
        if (groupId != null && !(in.isEmpty() && out.isEmpty())) {
            SecurityGroupRules.apply(ec2, id, groupId, true, in, "from");
            SecurityGroupRules.apply(ec2, id, groupId, false, out, "to");
            return true;
        }
        return false;
    }

    /**
     * What in the VPC blocks its deletion and is not netstack's: untagged subnets, security groups,
     * internet gateways, and network interfaces with their owner (Lambda, ELB, GuardDuty and
     * endpoint ENIs are the usual suspects: docs/aws-facts.md, "Hidden ordering rules").
     */
    static List<String> foreignContents(Ec2Client ec2, String vpcId) {
        List<String> out = new ArrayList<>();
        ec2.describeSubnets(r -> r.filters(Ec2Tags.filter("vpc-id", vpcId))).subnets().stream()
                .filter(s -> !Ec2Tags.hasOwnership(s.tags())).forEach(s -> out.add("subnet " + s.subnetId() + " (" + s.cidrBlock() + ")"));
        ec2.describeSecurityGroups(r -> r.filters(Ec2Tags.filter("vpc-id", vpcId))).securityGroups().stream()
                .filter(g -> !g.groupName().equals("default") && !Ec2Tags.hasOwnership(g.tags()))
                .forEach(g -> out.add("security group " + g.groupId() + " (" + g.groupName() + ")"));
        ec2.describeInternetGateways(r -> r.filters(Ec2Tags.filter("attachment.vpc-id", vpcId))).internetGateways().stream()
                .filter(g -> !Ec2Tags.hasOwnership(g.tags())).forEach(g -> out.add("internet gateway " + g.internetGatewayId()));
        ec2.describeNetworkInterfaces(r -> r.filters(Ec2Tags.filter("vpc-id", vpcId))).networkInterfaces().stream()
                .filter(n -> !Ec2Tags.hasOwnership(n.tagSet()) && !"nat_gateway".equals(n.interfaceTypeAsString()) && !"vpc_endpoint".equals(n.interfaceTypeAsString()))
                .forEach(n -> out.add("network interface " + n.networkInterfaceId() + " (" + n.interfaceTypeAsString() + ", "
                        + (n.requesterId() != null ? "requester " + n.requesterId() + ", " : "") + "\"" + n.description() + "\")"));
        return out;
    }
}
