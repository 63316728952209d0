package io.netstack.provider.ec2.clientvpn;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What {@link ClientVpnEndpointType} can check offline: the client CIDR, authentication, port, subnets, routes and rules. */
final class ClientVpnValidation {
    /** CreateClientVpnEndpoint: the client CIDR is between /12 and /22. */
    static final int MIN_PREFIX = 12, MAX_PREFIX = 22;
    /** CreateClientVpnEndpoint DnsServers: "You can specify up to two DNS servers". */
    static final int MAX_DNS_SERVERS = 2;

    private ClientVpnValidation() {}

    static void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        Cidr pool = Cidr.parse(p.get("clientCidr").asText());
        if (pool.ipv6()) v.error(b, "/clientCidr", "the client CIDR is IPv4");
        else if (pool.prefix() < MIN_PREFIX || pool.prefix() > MAX_PREFIX)
            v.error(b, "/clientCidr", "the client CIDR must be between /" + MIN_PREFIX + " and /" + MAX_PREFIX + ", got /" + pool.prefix());
        JsonNode auth = p.get("authentication");
        boolean cert = auth.has("certificate"), fed = auth.has("federated"), dir = auth.has("directory");
        if (!cert && !fed && !dir) v.error(b, "/authentication", "give certificate, federated or directory authentication");
        if (fed && dir) v.error(b, "/authentication", "federated and directory authentication cannot be combined (a certificate can go with either)");
        int port = p.path("vpnPort").asInt(443);
        if (port != 443 && port != 1194) v.error(b, "/vpnPort", "the VPN port is 443 or 1194, got " + port);
        if (p.has("dnsServers") && p.get("dnsServers").size() > MAX_DNS_SERVERS) v.error(b, "/dnsServers", "at most " + MAX_DNS_SERVERS + " DNS servers");
        if (p.has("securityGroups") && !p.has("vpc")) v.error(b, "/securityGroups", "securityGroups need the endpoint's vpc");

        Optional<ResourceBlock> vpc = v.target(p.get("vpc"));
        vpc.ifPresent(vb -> {
            List<String> blocks = new ArrayList<>(List.of(vb.properties().path("cidr").asText()));
            vb.properties().path("secondaryCidrs").forEach(c -> blocks.add(c.asText()));
            for (String c : blocks) {
                try {
                    if (!pool.ipv6() && Cidr.parse(c).overlaps(pool)) v.error(b, "/clientCidr", pool + " overlaps " + vb.id() + "'s " + c + " (AWS refuses a client CIDR that overlaps the VPC)");
                } catch (IllegalArgumentException ignored) {
                    // reported on the vpc
                }
            }
        });
        Map<String, String> zones = new HashMap<>();
        Set<String> subnets = new TreeSet<>();
        JsonNode sn = p.path("subnets");
        for (int i = 0; i < sn.size(); i++) {
            subnets.add(sn.get(i).asText());
            int n = i;
            v.target(sn.get(i)).ifPresent(s -> {
                String zone = s.properties().path("zone").asText(null);
                if (zone != null && zones.containsKey(zone)) v.error(b, "/subnets/" + n, "a Client VPN endpoint takes one subnet per availability zone: " + s.id() + " and " + zones.get(zone) + " are both in " + zone);
                if (zone != null) zones.putIfAbsent(zone, s.id());
                if (p.has("vpc") && !s.properties().path("vpc").asText().equals(p.get("vpc").asText()))
                    v.error(b, "/subnets/" + n, s.id() + " is not in the endpoint's vpc " + p.get("vpc").asText());
            });
        }
        JsonNode routes = p.path("routes");
        for (int i = 0; i < routes.size(); i++) {
            String s = routes.get(i).path("subnet").asText();
            if (!subnets.contains(s)) v.error(b, "/routes/" + i + "/subnet", s + " is not one of the endpoint's subnets (a route goes through an associated subnet)");
        }
        Set<String> rules = new TreeSet<>();
        JsonNode rs = p.path("authorizationRules");
        for (int i = 0; i < rs.size(); i++) {
            String k = rs.get(i).path("cidr").asText() + " " + rs.get(i).path("group").asText("(all)");
            if (!rules.add(k)) v.error(b, "/authorizationRules/" + i, "a rule for " + k + " is already given");
        }
    
    }
}
