package io.netstack.provider.ec2.vpnconnection;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.util.Set;
import java.util.TreeSet;

/** What {@link VpnConnectionType} can check offline: the AWS end, static routes, tunnel inside CIDRs and pre-shared keys. */
final class VpnConnectionValidation {
    private VpnConnectionValidation() {}

    static void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        boolean vgw = p.hasNonNull("vpnGateway"), tgw = p.hasNonNull("transitGateway");
        if (vgw == tgw) v.error(b, "", "give exactly one of vpnGateway and transitGateway (the AWS end of the VPN)");
        JsonNode routes = p.get("routes");
        if (routes != null && !routes.isEmpty()) {
            if (!p.path("staticRoutesOnly").asBoolean(false)) {
                v.error(b, "/routes", "static routes need \"staticRoutesOnly\": true (with BGP, routes are learned from the customer gateway)");
            }
            if (tgw) v.error(b, "/routes", "a transit gateway VPN has no static routes of its own: add them to a transit-gateway-route-table instead");
            for (int i = 0; i < routes.size(); i++) {
                String r = routes.get(i).asText();
                if (!Reference.containsReference(r) && Cidr.isCidr(r) && Cidr.parse(r).ipv6()) v.error(b, "/routes/" + i, "VPN static routes are IPv4 CIDRs");
            }
        }
        JsonNode tunnels = p.get("tunnels");
        if (tunnels == null) return;
        if (tunnels.size() != VpnConnectionType.TUNNELS) {
            v.error(b, "/tunnels", "AWS always creates " + VpnConnectionType.TUNNELS + " tunnels: give both (each with its insideCidr), or leave tunnels out to let AWS choose; got " + tunnels.size());
        }
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < tunnels.size(); i++) {
            JsonNode t = tunnels.get(i);
            String inside = t.path("insideCidr").asText();
            if (!Reference.containsReference(inside)) {
                Cidr c = Cidr.parse(inside);
                if (c.ipv6() || c.prefix() != 30 || !VpnConnectionType.LINK_LOCAL.contains(c)) {
                    v.error(b, "/tunnels/" + i + "/insideCidr", "insideCidr must be a /30 inside 169.254.0.0/16, got " + inside);
                } else if (VpnConnectionType.RESERVED_INSIDE_CIDRS.contains(c.toString())) {
                    v.error(b, "/tunnels/" + i + "/insideCidr", c + " is reserved by AWS (reserved: " + String.join(", ", new TreeSet<>(VpnConnectionType.RESERVED_INSIDE_CIDRS)) + ")");
                } else if (!seen.add(c.toString())) {
                    v.error(b, "/tunnels/" + i + "/insideCidr", "the two tunnels need different inside CIDRs; " + c + " is used twice");
                }
            }
            JsonNode psk = t.get("preSharedKey");
            if (psk != null && psk.isTextual() && !Reference.containsReference(psk.asText())) {
                // Never echo the key: the message names the rule, not the value.
                if (!VpnConnectionType.PSK.matcher(psk.asText()).matches()) v.error(b, "/tunnels/" + i + "/preSharedKey", "not a valid pre-shared key: " + VpnConnectionType.PSK_RULE);
                else v.warning(b, "/tunnels/" + i + "/preSharedKey", "the pre-shared key is written in the stack file; prefer \"${env.NAME}\" so it stays out of files and version control");
            }
        }
    }
}
