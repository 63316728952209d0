package io.netstack.provider.ec2.vpcendpoint;

import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointType.ENDPOINT_SERVICE_NAME;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointType.GATEWAY_SERVICES;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointType.MAX_INTERFACE_ENDPOINTS_PER_VPC;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointType.canonicalService;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointType.isFullName;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Validation;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.Cidr;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/** Offline checks of a {@code vpc-endpoint} block: what each kind takes, same-VPC references, zones, quota. */
final class VpcEndpointValidation {
    private VpcEndpointValidation() {
    }

    static void validate(String name, ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        String kind = p.path("kind").asText("gateway");
        String service = p.path("service").asText("");
        Optional<ResourceBlock> serviceBlock = v.target(p.get("service"));
        if (service.isBlank()) v.error(b, "/service", "service must name an AWS service (\"s3\"), a full service name, or ${id} of an endpoint-service");
        if (serviceBlock.isPresent() && !serviceBlock.get().type().equals("endpoint-service")) {
            v.error(b, "/service", "${" + serviceBlock.get().id() + "} is a " + serviceBlock.get().type() + ", expected an endpoint-service");
        }
        boolean hasSubnets = p.path("subnets").size() > 0, hasTables = p.path("routeTables").size() > 0;
        switch (kind) {
            case "gateway" -> {
                if (hasSubnets) v.error(b, "/subnets", "a gateway endpoint takes routeTables, not subnets; for an interface endpoint set \"kind\": \"interface\"");
                if (p.has("securityGroups")) v.error(b, "/securityGroups", "security groups apply to interface endpoints only (\"kind\": \"interface\")");
                if (p.has("privateDns")) v.error(b, "/privateDns", "private DNS applies to interface endpoints only (\"kind\": \"interface\")");
                if (serviceBlock.isPresent() || service.startsWith("vpce-svc-") || ENDPOINT_SERVICE_NAME.matcher(service).matches()) {
                    v.error(b, "/kind", "an endpoint service is consumed by an interface (or gateway-load-balancer) endpoint: set \"kind\": \"interface\"");
                } else if (!service.isBlank() && !Reference.containsReference(service)) {
                    String shortName = canonicalService(service, v.stack().region());
                    if (!isFullName(shortName) && !GATEWAY_SERVICES.contains(shortName)) {
                        v.error(b, "/service", "only s3 and dynamodb have gateway endpoints; \"" + service + "\" needs \"kind\": \"interface\"");
                    }
                }
            }
            case "interface" -> {
                if (hasTables) v.error(b, "/routeTables", "route tables apply to gateway endpoints only; an interface endpoint takes subnets");
                if (p.has("securityGroups") && p.get("securityGroups").isEmpty()) {
                    v.error(b, "/securityGroups", "an interface endpoint always has a security group; omit securityGroups to get the VPC's default group");
                }
            }
            case "gateway-load-balancer" -> {
                if (hasTables) v.error(b, "/routeTables", "a gateway-load-balancer endpoint is a route target; it takes one subnet, not route tables");
                if (p.path("subnets").size() != 1) v.error(b, "/subnets", "a gateway-load-balancer endpoint takes exactly one subnet");
                if (p.has("securityGroups")) v.error(b, "/securityGroups", "gateway-load-balancer endpoints have no security groups");
                if (p.has("privateDns")) v.error(b, "/privateDns", "private DNS applies to interface endpoints only");
                if (p.has("policy")) v.error(b, "/policy", "gateway-load-balancer endpoints take no policy");
            }
            default -> { }
        }
        JsonNode dns = p.get("dnsOptions");
        if (dns != null && !kind.equals("interface")) v.error(b, "/dnsOptions", "DNS options apply to interface endpoints only (\"kind\": \"interface\")");
        if (dns != null && dns.path("privateDnsOnlyForInboundResolverEndpoint").asBoolean(false)) {
            String shortName = canonicalService(service, v.stack().region());
            if (!p.path("privateDns").asBoolean(false)) {
                v.error(b, "/dnsOptions/privateDnsOnlyForInboundResolverEndpoint", "private DNS only for inbound Resolver endpoints needs \"privateDns\": true");
            }
            if (!Reference.containsReference(service) && !GATEWAY_SERVICES.contains(shortName)) {
                v.error(b, "/dnsOptions/privateDnsOnlyForInboundResolverEndpoint", "only services with both gateway and interface endpoints (s3, dynamodb) take this option, not \"" + service + "\"");
            }
        }
        checkSubnetConfigurations(b, v, kind);
        JsonNode policy = p.get("policy");
        if (policy != null && !policy.isNull()) {
            JsonNode doc = VpcEndpointPolicy.canonicalPolicy(policy);
            if (!doc.isObject()) v.error(b, "/policy", "the policy must be a JSON object (a policy document with \"Statement\")");
            else if (!doc.has("Statement")) v.error(b, "/policy", "a policy document needs a \"Statement\"");
        }
        checkSameVpc(b, v, "subnets", p.get("vpc"));
        checkSameVpc(b, v, "routeTables", p.get("vpc"));
        checkSameVpc(b, v, "securityGroups", p.get("vpc"));
        if (kind.equals("interface")) {
            Map<String, String> zones = new HashMap<>();
            JsonNode subnets = p.path("subnets");
            for (int i = 0; i < subnets.size(); i++) {
                Optional<ResourceBlock> s = v.target(subnets.get(i));
                String zone = s.map(x -> x.properties().path("zone").asText(null)).orElse(null);
                if (zone == null) continue;
                String other = zones.put(zone, s.get().id());
                if (other != null) v.error(b, "/subnets/" + i, "an interface endpoint takes one subnet per availability zone: " + s.get().id() + " and " + other + " are both in " + zone);
            }
            long count = v.blocksOfType(name).stream().filter(r -> r.type().equals(name)
                    && "interface".equals(r.properties().path("kind").asText()) && r.properties().path("vpc").equals(p.get("vpc"))).count();
            if (count > MAX_INTERFACE_ENDPOINTS_PER_VPC) {
                v.warning(b, "", "more than " + MAX_INTERFACE_ENDPOINTS_PER_VPC + " interface endpoints in one VPC exceeds the default quota");
            }
        }
    }

    /**
     * Fixed IPs: one entry per subnet of {@code subnets} (the read-back lists every network
     * interface of the endpoint), each address inside its subnet's CIDR when the subnet is in the stack.
     */
    private static void checkSubnetConfigurations(ResourceBlock b, Validation v, String kind) {
        JsonNode fixed = b.properties().get("subnetConfigurations");
        if (fixed == null || !fixed.isArray()) return;
        if (!kind.equals("interface")) {
            v.error(b, "/subnetConfigurations", "fixed IPs per subnet apply to interface endpoints only (\"kind\": \"interface\")");
            return;
        }
        JsonNode subnets = b.properties().path("subnets");
        Set<JsonNode> listed = new HashSet<>();
        subnets.forEach(listed::add);
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < fixed.size(); i++) {
            JsonNode c = fixed.get(i), subnet = c.get("subnet");
            String at = "/subnetConfigurations/" + i;
            if (subnet == null) continue;
            if (!listed.contains(subnet)) {
                v.error(b, at + "/subnet", subnet.asText() + " is not one of the endpoint's subnets; add it to \"subnets\"");
                continue;
            }
            if (!seen.add(subnet)) v.error(b, at + "/subnet", subnet.asText() + " has more than one configuration");
            if (!c.hasNonNull("ipv4") && !c.hasNonNull("ipv6")) v.error(b, at, "give ipv4, ipv6 or both");
            Optional<ResourceBlock> s = v.target(subnet);
            checkAddress(b, v, at + "/ipv4", c.get("ipv4"), false, s.map(x -> x.properties().get("cidr")).orElse(null));
            // A subnet's IPv6 /64 is Amazon's, known only after apply: the address is checked as an address.
            checkAddress(b, v, at + "/ipv6", c.get("ipv6"), true, null);
        }
        for (int i = 0; i < subnets.size(); i++) {
            if (!seen.contains(subnets.get(i)) && fixed.size() > 0) {
                v.error(b, "/subnets/" + i, subnets.get(i).asText() + " has no entry in subnetConfigurations: give every subnet its fixed IP, or omit subnetConfigurations");
            }
        }
    }

    /** The address must be of its family and, when the subnet's CIDR is known offline, inside it. */
    private static void checkAddress(ResourceBlock b, Validation v, String at, JsonNode address, boolean ipv6, JsonNode cidr) {
        if (address == null || !address.isTextual() || Reference.containsReference(address.asText())) return;
        String a = address.asText();
        Cidr host;
        try {
            host = Cidr.parse(a + (ipv6 ? "/128" : "/32"));
        } catch (IllegalArgumentException e) {
            host = null;
        }
        if (host == null || host.ipv6() != ipv6 || a.contains("/")) {
            v.error(b, at, "\"" + a + "\" is not an " + (ipv6 ? "IPv6" : "IPv4") + " address");
            return;
        }
        if (cidr == null || !cidr.isTextual() || Reference.containsReference(cidr.asText())) return;
        try {
            Cidr net = Cidr.parse(cidr.asText());
            if (net.ipv6() != ipv6) return;
            if (!net.contains(host)) v.error(b, at, a + " is outside the subnet's CIDR " + cidr.asText());
            // AWS reserves the first four and the last IPv4 address of every subnet (VPC User Guide, "Subnet CIDR blocks").
            else if (host.network().subtract(net.network()).intValue() < 4 || host.network().equals(net.last())) {
                v.error(b, at, a + " is one of the five addresses AWS reserves in " + cidr.asText());
            }
        } catch (IllegalArgumentException e) {
            // the subnet's own validation reports its CIDR
        }
    }

    /** Subnets, route tables and security groups of the stack must be in the endpoint's VPC. */
    private static void checkSameVpc(ResourceBlock b, Validation v, String property, JsonNode vpc) {
        JsonNode list = b.properties().path(property);
        if (vpc == null || !list.isArray()) return;
        for (int i = 0; i < list.size(); i++) {
            Optional<ResourceBlock> t = v.target(list.get(i));
            if (t.isEmpty()) continue;
            JsonNode theirs = t.get().properties().get("vpc");
            if (theirs != null && vpc.isTextual() && theirs.isTextual() && !theirs.equals(vpc)) {
                v.error(b, "/" + property + "/" + i, t.get().id() + " is in " + theirs.asText() + ", not in the endpoint's VPC " + vpc.asText());
            }
        }
    }
}
