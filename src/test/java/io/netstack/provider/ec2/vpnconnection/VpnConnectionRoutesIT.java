package io.netstack.provider.ec2.vpnconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static routes and tunnel options of vpn-connection, through the real SDK request path against
 * {@link VpnGapsProxy} in front of moto. Gaps covered: moto implements neither
 * CreateVpnConnectionRoute nor DeleteVpnConnectionRoute, drops the connection's Options
 * (staticRoutesOnly, tunnel inside CIDRs) and creates connections already {@code available}.
 * Create → read back as no change → routes updated in place (add before remove) → a route added by
 * hand is drift → destroy; request shapes asserted at each step.
 */
@ExtendWith(AwsApiExtension.class)
class VpnConnectionRoutesIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String routes) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vgw": { "type": "vpn-gateway" },
                "office": { "type": "customer-gateway", "ip": "203.0.113.40", "bgpAsn": 65040 },
                "vpn": { "type": "vpn-connection", "customerGateway": "${office}", "vpnGateway": "${vgw}",
                         "staticRoutesOnly": true, "routes": [%s],
                         "tunnels": [ { "insideCidr": "169.254.20.4/30" }, { "insideCidr": "169.254.20.0/30" } ] }
              },
              "outputs": { "tunnel1": "${vpn.tunnel1Address}" } }
            """.formatted(name, routes);
    }

    @Test
    void routesInPlace(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("vpnroutes");
        try (VpnGapsProxy proxy = VpnGapsProxy.start(api.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            Path f = StackFiles.write(dir, "s.json", stack(name, "\"192.168.0.0/24\", \"192.168.1.0/24\""));

            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            Map<String, String> create = proxy.requests("CreateVpnConnection").get(0);
            assertEquals("true", create.get("Options.StaticRoutesOnly"));
            assertEquals("ipsec.1", create.get("Type"));
            // the file lists .4 before .0: tunnels are identified (and sent) in inside-CIDR order
            assertEquals("169.254.20.0/30", create.get("Options.TunnelOptions.1.TunnelInsideCidr"));
            assertEquals("169.254.20.4/30", create.get("Options.TunnelOptions.2.TunnelInsideCidr"));
            assertTrue(create.get("CustomerGatewayId").startsWith("cgw-") && create.get("VpnGatewayId").startsWith("vgw-"), create.toString());
            assertTrue(apply.out().contains("tunnel1 = 198.51.100."), apply.out());
            String vpnId = proxy.requests("CreateVpnConnectionRoute").get(0).get("VpnConnectionId");
            assertEquals(Set.of("192.168.0.0/24", "192.168.1.0/24"), destinations(proxy.requests("CreateVpnConnectionRoute"), vpnId));
            assertEquals(Map.of("192.168.0.0/24", "available", "192.168.1.0/24", "available"), proxy.routes(vpnId));

            Cli.Result noop = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, noop.exit(), "routes and tunnels read back as written: " + noop);

            // Replace one route by another: an in-place update with two element diffs.
            StackFiles.write(dir, "s.json", stack(name, "\"192.168.1.0/24\", \"172.16.0.0/16\""));
            JsonNode plan = Json.MAPPER.readTree(Cli.run(env, "plan", f.toString(), "--json").out());
            assertEquals(1, plan.get("changes").size(), plan.toString());
            JsonNode c = plan.get("changes").get(0);
            assertEquals("update", c.get("action").asText());
            assertEquals(2, c.get("diff").size(), c.toString());
            Cli.Result update = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, update.exit(), update.toString());
            assertEquals(Set.of("192.168.0.0/24", "192.168.1.0/24", "172.16.0.0/16"), destinations(proxy.requests("CreateVpnConnectionRoute"), vpnId));
            assertEquals(Set.of("192.168.0.0/24"), destinations(proxy.requests("DeleteVpnConnectionRoute"), vpnId));
            assertEquals(1, proxy.requests("CreateVpnConnection").size(), "routes change in place, no replacement");
            assertEquals(Set.of("172.16.0.0/16", "192.168.1.0/24"), proxy.routes(vpnId).keySet());
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            // A route added behind netstack's back is drift, and apply removes it.
            proxy.addRouteOutOfBand(vpnId, "10.99.0.0/16");
            Cli.Result drift = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(2, drift.exit(), drift.toString());
            assertTrue(drift.out().contains("routes - 10.99.0.0/16"), drift.out());
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertEquals(Set.of("172.16.0.0/16", "192.168.1.0/24"), proxy.routes(vpnId).keySet());

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertEquals(List.of(vpnId), proxy.requests("DeleteVpnConnection").stream().map(r -> r.get("VpnConnectionId")).toList());
            assertTrue(VpnConnectionIT.owned(api.ec2(REGION), name).isEmpty());
        }
    }

    static Set<String> destinations(List<Map<String, String>> requests, String vpnId) {
        Set<String> out = new TreeSet<>();
        for (Map<String, String> r : requests) {
            assertEquals(vpnId, r.get("VpnConnectionId"), r.toString());
            out.add(r.get("DestinationCidrBlock"));
        }
        return out;
    }
}
