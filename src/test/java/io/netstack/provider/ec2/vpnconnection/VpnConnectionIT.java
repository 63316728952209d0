package io.netstack.provider.ec2.vpnconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpnConnection;

/**
 * vpn-connection round trip against plain moto (no static routes, no tunnel options: moto has no
 * CreateVpnConnectionRoute and drops Options — {@link VpnConnectionRoutesIT} covers those through
 * {@link VpnGapsProxy}): to a VPN gateway and to a transit gateway (given as a literal tgw- id),
 * no changes after apply, tags in place, a new customer gateway replaces, destroy leaves nothing.
 */
@ExtendWith(AwsApiExtension.class)
class VpnConnectionIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String tgwId, String cgw, String team) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.73.0.0/16" },
                "vgw": { "type": "vpn-gateway", "vpc": "${vpc}" },
                "office": { "type": "customer-gateway", "ip": "203.0.113.30", "bgpAsn": 65030 },
                "office2": { "type": "customer-gateway", "ip": "203.0.113.31", "bgpAsn": 65031 },
                "vpn": { "type": "vpn-connection", "customerGateway": "${%s}", "vpnGateway": "${vgw}", "tags": { "team": "%s" } },
                "vpn-tgw": { "type": "vpn-connection", "customerGateway": "${office}", "transitGateway": "%s" }
              },
              "outputs": { "tgwAttachment": "${vpn-tgw.transitGatewayAttachmentId}" } }
            """.formatted(name, cgw, team, tgwId);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("vpn");
        Ec2Client ec2 = api.ec2(REGION);
        String tgw = ec2.createTransitGateway(r -> r.description(name)).transitGateway().transitGatewayId();
        try {
            Path f = StackFiles.write(dir, "s.json", stack(name, tgw, "office", "net"));
            Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            Map<String, VpnConnection> owned = owned(ec2, name);
            VpnConnection vpn = owned.get("vpn"), viaTgw = owned.get("vpn-tgw");
            assertTrue(vpn.vpnGatewayId().startsWith("vgw-"));
            assertEquals(tgw, viaTgw.transitGatewayId());
            assertTrue(apply.out().contains("tgwAttachment = tgw-attach-"), "the TGW attachment id is an attribute: " + apply.out());

            Cli.Result noop = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, noop.exit(), noop.toString());

            StackFiles.write(dir, "s.json", stack(name, tgw, "office", "platform"));
            JsonNode tags = Json.MAPPER.readTree(Cli.run(api, REGION, "plan", f.toString(), "--json").out());
            assertEquals(1, tags.get("changes").size(), tags.toString());
            assertEquals("update", tags.get("changes").get(0).get("action").asText());
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            VpnConnection updated = owned(ec2, name).get("vpn");
            assertEquals(vpn.vpnConnectionId(), updated.vpnConnectionId());
            assertTrue(updated.tags().contains(Tag.builder().key("team").value("platform").build()));

            StackFiles.write(dir, "s.json", stack(name, tgw, "office2", "platform"));
            JsonNode replace = Json.MAPPER.readTree(Cli.run(api, REGION, "plan", f.toString(), "--json").out());
            assertEquals(1, replace.get("changes").size(), replace.toString());
            assertEquals("replace", replace.get("changes").get(0).get("action").asText());
            assertEquals("customerGateway is create-only", replace.get("changes").get(0).get("reasons").get(0).asText());
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            assertNotEquals(vpn.vpnConnectionId(), owned(ec2, name).get("vpn").vpnConnectionId());
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(owned(ec2, name).isEmpty());
        } finally {
            ec2.deleteTransitGateway(r -> r.transitGatewayId(tgw));
        }
    }

    static Map<String, VpnConnection> owned(Ec2Client ec2, String stack) {
        return ec2.describeVpnConnections().vpnConnections().stream()
                .filter(c -> !"deleted".equals(c.stateAsString()))
                .filter(c -> c.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack)))
                .collect(Collectors.toMap(c -> c.tags().stream().filter(t -> t.key().equals("netstack:id")).findFirst().orElseThrow().value(), c -> c));
    }
}
