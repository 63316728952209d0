package io.netstack.provider.ec2.vpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.provider.ec2.networkacl.NetworkAclEntries;
import io.netstack.provider.ec2.routetable.RouteTableRoutes;
import io.netstack.provider.ec2.securitygroup.SecurityGroupRules;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.util.ArrayList;
import java.util.List;

/** What {@link VpcType} can check and canonicalise offline: CIDRs, DNS attributes and the rules of the VPC's default objects. */
final class VpcValidation {
    private static final int MAX_SECONDARY_CIDRS = VpcType.MAX_SECONDARY_CIDRS;

    private VpcValidation() {}

    static ObjectNode normalize(ObjectNode p) {
        JsonNode dsg = p.get("defaultSecurityGroup");
        if (dsg != null && dsg.isObject()) {
            SecurityGroupRules.normalize((ObjectNode) dsg, "ingress", "from");
            SecurityGroupRules.normalize((ObjectNode) dsg, "egress", "to");
        }
        JsonNode main = p.get("mainRouteTable");
        if (main != null && main.isObject() && main.path("routes").isArray()) {
            ArrayNode routes = JsonNodeFactory.instance.arrayNode();
            for (JsonNode r : main.get("routes")) routes.add(r.isObject() ? RouteTableRoutes.canonical(r) : r);
            ((ObjectNode) main).set("routes", routes);
        }
        JsonNode acl = p.get("defaultNetworkAcl");
        if (acl != null && acl.isObject()) {
            NetworkAclEntries.normalize((ObjectNode) acl, "ingress");
            NetworkAclEntries.normalize((ObjectNode) acl, "egress");
        }
        return p;
    }

    static void validate(ResourceBlock b, Validation v) {
        Cidr primary = Cidr.parse(b.properties().get("cidr").asText());
        if (primary.ipv6()) v.error(b, "/cidr", "the primary VPC block must be IPv4");
        else if (primary.prefix() < 16 || primary.prefix() > 28) v.error(b, "/cidr", "a VPC block must be between /16 and /28, got /" + primary.prefix());
        JsonNode sec = b.properties().get("secondaryCidrs");
        if (sec != null) {
            List<Cidr> all = new ArrayList<>(List.of(primary));
            for (int i = 0; i < sec.size(); i++) {
                Cidr c = Cidr.parse(sec.get(i).asText());
                if (c.ipv6()) v.error(b, "/secondaryCidrs/" + i, "secondary blocks are IPv4 (use \"ipv6\": true for IPv6)");
                else if (c.prefix() < 16 || c.prefix() > 28) v.error(b, "/secondaryCidrs/" + i, "a VPC block must be between /16 and /28");
                for (Cidr o : all) if (o.overlaps(c)) v.error(b, "/secondaryCidrs/" + i, c + " overlaps " + o + " of the same VPC");
                all.add(c);
            }
            if (sec.size() > MAX_SECONDARY_CIDRS) v.warning(b, "/secondaryCidrs", "more than " + MAX_SECONDARY_CIDRS + " secondary CIDRs exceeds the default quota of 5 IPv4 blocks per VPC");
        }
        JsonNode dsg = b.properties().get("defaultSecurityGroup");
        if (dsg != null) {
            SecurityGroupRules.validate(b, v, "/defaultSecurityGroup/ingress", dsg.get("ingress"), "from");
            SecurityGroupRules.validate(b, v, "/defaultSecurityGroup/egress", dsg.get("egress"), "to");
        }
        JsonNode main = b.properties().get("mainRouteTable");
        if (main != null) RouteTableRoutes.validate(b, v, "/mainRouteTable/routes", main.get("routes"), TextNode.valueOf("${" + b.id() + "}"));
        JsonNode acl = b.properties().get("defaultNetworkAcl");
        if (acl != null) {
            NetworkAclEntries.validate(b, v, "defaultNetworkAcl/ingress", acl.get("ingress"));
            NetworkAclEntries.validate(b, v, "defaultNetworkAcl/egress", acl.get("egress"));
        }
        if (b.properties().path("dnsHostnames").asBoolean(false) && !b.properties().path("dnsSupport").asBoolean(true)) {
            v.error(b, "/dnsHostnames", "DNS hostnames need dnsSupport (AWS refuses enableDnsHostnames without enableDnsSupport)");
        }
    }
}
