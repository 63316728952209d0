package io.netstack.provider.ec2.vpcendpoint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.LiveResource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceIpv6Address;
import software.amazon.awssdk.services.ec2.model.SecurityGroupIdentifier;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/** A VPC endpoint as AWS describes it, in the stack's vocabulary (both sides of a plan diff). */
final class VpcEndpointTranslator {
    private VpcEndpointTranslator() {
    }

    static String state(VpcEndpoint e) {
        return e.stateAsString() == null ? "unknown" : e.stateAsString().toLowerCase(Locale.ROOT);
    }

    static String kind(VpcEndpoint e) {
        String t = e.vpcEndpointTypeAsString();
        if (t == null) return "gateway";
        return switch (t) {
            case "Gateway" -> "gateway";
            case "Interface" -> "interface";
            case "GatewayLoadBalancer" -> "gateway-load-balancer";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }

    static String awsKind(String kind) {
        return switch (kind) {
            case "interface" -> "Interface";
            case "gateway-load-balancer" -> "GatewayLoadBalancer";
            default -> "Gateway";
        };
    }

    /**
     * {@code enis}: network interfaces by id. subnetConfigurations lists, per interface of the
     * endpoint that AWS returned, its subnet and primary addresses (AWS requires the address of
     * each family the endpoint supports, so a correct stack entry names the same ones).
     */
    static LiveResource translate(String typeName, String region, String id, VpcEndpoint e, Map<String, NetworkInterface> enis) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        String kind = kind(e);
        p.put("vpc", e.vpcId());
        p.put("service", VpcEndpointType.canonicalService(e.serviceName(), region));
        p.put("kind", kind);
        ArrayNode rts = p.putArray("routeTables");
        e.routeTableIds().forEach(rts::add);
        ArrayNode subnets = p.putArray("subnets");
        e.subnetIds().forEach(subnets::add);
        if (kind.equals("interface")) {
            ArrayNode sgs = p.putArray("securityGroups");
            e.groups().stream().map(SecurityGroupIdentifier::groupId).forEach(sgs::add);
            p.put("privateDns", Boolean.TRUE.equals(e.privateDnsEnabled()));
            ArrayNode fixed = p.putArray("subnetConfigurations");
            e.networkInterfaceIds().stream().map(enis::get).filter(n -> n != null).forEach(n -> {
                ObjectNode c = fixed.addObject();
                c.put("subnet", n.subnetId());
                if (n.privateIpAddress() != null) c.put("ipv4", n.privateIpAddress());
                n.ipv6Addresses().stream().map(NetworkInterfaceIpv6Address::ipv6Address).filter(a -> a != null).findFirst().ifPresent(a -> c.put("ipv6", a));
            });
            if (e.dnsOptions() != null && e.dnsOptions().dnsRecordIpTypeAsString() != null) {
                ObjectNode dns = p.putObject("dnsOptions");
                dns.put("recordIpType", e.dnsOptions().dnsRecordIpTypeAsString());
                dns.put("privateDnsOnlyForInboundResolverEndpoint", Boolean.TRUE.equals(e.dnsOptions().privateDnsOnlyForInboundResolverEndpoint()));
            }
        }
        if (e.ipAddressTypeAsString() != null) p.put("ipAddressType", e.ipAddressTypeAsString());
        if (e.policyDocument() != null && !e.policyDocument().isBlank()) p.set("policy", VpcEndpointPolicy.canonicalPolicy(TextNode.valueOf(e.policyDocument())));
        p.set("tags", Ec2Tags.userTags(e.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("serviceName", e.serviceName());
        e.dnsEntries().stream().map(DnsEntry::dnsName).filter(n -> n != null && !n.isBlank()).findFirst().ifPresent(n -> attrs.put("dnsName", n));
        return new LiveResource(id, typeName, e.vpcEndpointId(), p, attrs);
    }
}
