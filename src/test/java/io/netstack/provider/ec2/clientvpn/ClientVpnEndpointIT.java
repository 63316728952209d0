package io.netstack.provider.ec2.clientvpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
import io.netstack.engine.PropertyDiff;
import io.netstack.spi.LiveResource;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeAwsServer;
import io.netstack.testing.fake.FastNetstack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * client-vpn-endpoint through the real SDK: the VPC, subnets and security group live in moto, the
 * endpoint in {@link FakeAwsServer} (moto implements no Client VPN at all). Create with tags and
 * ClientTokens, read back as no change, associations/rules/routes/attributes changed in place with
 * the removals ordered before the additions, a rule added by hand seen and removed, destroy, and a
 * re-create after the endpoint left the file.
 */
@ExtendWith(AwsApiExtension.class)
class ClientVpnEndpointIT {
    static final String REGION = "eu-west-1";
    static final String CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
    static final String CERT2 = "arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-8888-9999-000000000000";
    static final String ROOT = "arn:aws:acm:eu-west-1:123456789012:certificate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    static String stack(String name, String endpoint) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.70.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.70.1.0/24", "zone": "eu-west-1a" },
                "b":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.70.2.0/24", "zone": "eu-west-1b" },
                "sg":  { "type": "security-group", "vpc": "${vpc}", "description": "vpn clients" },
                "sg2": { "type": "security-group", "vpc": "${vpc}", "description": "vpn clients, strict" }%s
              } }
            """.formatted(name, endpoint == null ? "" : ",\n    \"vpn\": " + endpoint);
    }

    static final String V1 = """
        { "type": "client-vpn-endpoint", "clientCidr": "10.100.0.0/22", "serverCertificate": "%s",
          "authentication": { "certificate": { "rootCertificateChain": "%s" } },
          "vpc": "${vpc}", "securityGroups": ["${sg}"], "subnets": ["${a}"],
          "authorizationRules": [ { "cidr": "10.70.0.0/16" } ],
          "routes": [ { "destination": "172.16.0.0/16", "subnet": "${a}", "description": "on-prem" } ],
          "splitTunnel": true, "dnsServers": ["10.70.0.2"], "description": "staff", "tags": { "team": "it" } }
        """.formatted(CERT, ROOT);

    static final String V2 = """
        { "type": "client-vpn-endpoint", "clientCidr": "10.100.0.0/22", "serverCertificate": "%s",
          "authentication": { "certificate": { "rootCertificateChain": "%s" } },
          "vpc": "${vpc}", "securityGroups": ["${sg2}"], "subnets": ["${a}", "${b}"],
          "authorizationRules": [ { "cidr": "10.70.0.0/16" }, { "cidr": "10.70.2.0/24", "group": "S-1-5-21-admins", "description": "admins" } ],
          "routes": [ { "destination": "172.16.0.0/16", "subnet": "${a}", "description": "on-prem" },
                      { "destination": "192.168.0.0/16", "subnet": "${b}" } ],
          "splitTunnel": false, "dnsServers": ["10.70.0.2", "10.70.0.3"], "description": "staff", "tags": { "team": "netops" } }
        """.formatted(CERT2, ROOT);

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION)) {
            String name = api.uniqueStack("cvpn");
            Path f = StackFiles.write(dir, "s.json", stack(name, V1));

            ns.apply(f);
            Map<String, LiveResource> live = ns.plan(f).live();
            String eid = live.get("vpn").awsId(), vpc = live.get("vpc").awsId(), a = live.get("a").awsId(), b = live.get("b").awsId();
            String sg = live.get("sg").awsId(), sg2 = live.get("sg2").awsId();
            assertTrue(eid.startsWith("cvpn-endpoint-"));
            var create = fake.requests("CreateClientVpnEndpoint");
            assertEquals(1, create.size());
            var p = create.get(0);
            assertEquals("10.100.0.0/22", p.param("ClientCidrBlock"));
            assertEquals(CERT, p.param("ServerCertificateArn"));
            assertEquals("certificate-authentication", p.param("Authentication.1.Type"));
            assertEquals(ROOT, p.param("Authentication.1.MutualAuthentication.ClientRootCertificateChainArn"));
            assertEquals("false", p.param("ConnectionLogOptions.Enabled"));
            assertEquals(vpc, p.param("VpcId"));
            assertEquals(sg, p.param("SecurityGroupId.1"));
            assertEquals("10.70.0.2", p.param("DnsServers.1"));
            assertEquals("true", p.param("SplitTunnel"));
            assertEquals("client-vpn-endpoint", p.param("TagSpecification.1.ResourceType"));
            assertEquals(1, p.params().keySet().stream().filter(k -> k.matches("TagSpecification\\.\\d+\\.ResourceType")).count(), "exactly one TagSpecification");
            assertTrue(p.params().entrySet().stream().anyMatch(e -> e.getValue().equals("netstack:stack")), "ownership tags at creation");
            assertNotNull(p.param("ClientToken"));
            var assoc = fake.requests("AssociateClientVpnTargetNetwork");
            assertEquals(1, assoc.size());
            assertEquals(a, assoc.get(0).param("SubnetId"));
            assertNotNull(assoc.get(0).param("ClientToken"));
            var auth = fake.requests("AuthorizeClientVpnIngress");
            assertEquals("true", auth.get(0).param("AuthorizeAllGroups"));
            assertNotNull(auth.get(0).param("ClientToken"));
            var route = fake.requests("CreateClientVpnRoute");
            assertEquals(a, route.get(0).param("TargetVpcSubnetId"));
            assertNotNull(route.get(0).param("ClientToken"));
            assertEquals("available", fake.clientVpn().endpoints().get(eid), "associated");
            assertEquals(vpc, live.get("vpn").properties().path("vpc").asText());
            assertNotNull(live.get("vpn").attributes().get("dnsName"));

            Plan again = ns.plan(f);
            assertFalse(again.hasChanges(), () -> "read back differs: " + again.actionable());

            // in place: a second subnet, a group rule, a route through it, other certificate, DNS, split tunnel, group, tags
            StackFiles.write(dir, "s.json", stack(name, V2));
            Plan upd = ns.plan(f);
            assertEquals(1, upd.actionable().size(), () -> upd.actionable().toString());
            Change c = upd.actionable().get(0);
            assertEquals(Action.UPDATE, c.action());
            assertEquals(List.of("authorizationRules", "dnsServers", "routes", "securityGroups", "securityGroups", "serverCertificate", "splitTunnel", "subnets", "tags.team"),
                    c.diffs().stream().map(PropertyDiff::path).sorted().toList());
            fake.clearRequests();
            ns.apply(f);
            var modify = fake.requests("ModifyClientVpnEndpoint");
            assertEquals(1, modify.size(), "one ModifyClientVpnEndpoint for all the attributes");
            assertEquals(CERT2, modify.get(0).param("ServerCertificateArn"));
            assertEquals("false", modify.get(0).param("SplitTunnel"));
            assertEquals("true", modify.get(0).param("DnsServers.Enabled"));
            assertEquals("10.70.0.3", modify.get(0).param("DnsServers.CustomDnsServers.2"));
            assertEquals(sg2, fake.requests("ApplySecurityGroupsToClientVpnTargetNetwork").get(0).param("SecurityGroupId.1"));
            assertEquals(b, fake.requests("AssociateClientVpnTargetNetwork").get(0).param("SubnetId"));
            assertEquals("S-1-5-21-admins", fake.requests("AuthorizeClientVpnIngress").get(0).param("AccessGroupId"));
            assertEquals(b, fake.requests("CreateClientVpnRoute").get(0).param("TargetVpcSubnetId"));
            assertTrue(fake.requests("CreateTags").size() + fake.requests("DeleteTags").size() >= 1);
            Plan settled = ns.plan(f);
            assertFalse(settled.hasChanges(), () -> "after the update: " + settled.actionable());

            // drift: a rule added by hand is seen and revoked
            fake.clientVpn().authorizeByHand(eid, "0.0.0.0/0");
            Plan drift = ns.plan(f);
            assertEquals(1, drift.actionable().size());
            assertEquals("authorizationRules", drift.actionable().get(0).diffs().get(0).path());
            assertEquals(null, drift.actionable().get(0).diffs().get(0).after(), "a removal");
            ns.apply(f);
            assertFalse(ns.plan(f).hasChanges());

            // back to V1: the route through b goes before b is disassociated
            StackFiles.write(dir, "s.json", stack(name, V1));
            fake.clearRequests();
            ns.apply(f);
            List<String> order = fake.requests().stream().map(FakeAwsServer.Request::action)
                    .filter(x -> x.equals("DeleteClientVpnRoute") || x.equals("RevokeClientVpnIngress") || x.equals("DisassociateClientVpnTargetNetwork")).toList();
            assertEquals(List.of("DeleteClientVpnRoute", "RevokeClientVpnIngress", "DisassociateClientVpnTargetNetwork"), order);
            assertFalse(ns.plan(f).hasChanges());
            assertTrue(fake.clientVpn().describeForTest(eid).startsWith("subnets=[" + a + "]"), fake.clientVpn().describeForTest(eid));

            // the endpoint leaves the file: associations go first (AWS refuses otherwise), then the endpoint
            StackFiles.write(dir, "s.json", stack(name, null));
            fake.clearRequests();
            ns.apply(f);
            assertTrue(fake.clientVpn().endpoints().isEmpty());
            List<String> del = fake.requests().stream().map(FakeAwsServer.Request::action)
                    .filter(x -> x.equals("DisassociateClientVpnTargetNetwork") || x.equals("DeleteClientVpnEndpoint")).toList();
            assertEquals(List.of("DisassociateClientVpnTargetNetwork", "DeleteClientVpnEndpoint"), del);

            // and comes back: a new endpoint (a new ClientToken: the engine salts tokens with the live state)
            String before = create.get(0).param("ClientToken");
            StackFiles.write(dir, "s.json", stack(name, V1));
            fake.clearRequests();
            ns.apply(f);
            assertEquals(1, fake.requests("CreateClientVpnEndpoint").size());
            assertFalse(before.equals(fake.requests("CreateClientVpnEndpoint").get(0).param("ClientToken")));
            assertEquals(1, fake.clientVpn().endpoints().size());
            assertFalse(ns.plan(f).hasChanges());

            ns.destroy(f);
            assertTrue(fake.clientVpn().endpoints().isEmpty());
            assertTrue(ns.plan(f).live().isEmpty(), "moto's VPC, subnets and groups are gone too");
        }
    }

    /** The shipped example applies, reads back as no change, and destroys to nothing. */
    @Test
    void example(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION)) {
            Path f = StackFiles.copyExample(dir, "client-vpn.json", api.uniqueStack("cvpn-example"));
            ns.apply(f);
            assertEquals(1, fake.clientVpn().endpoints().size());
            assertEquals(2, fake.requests("AssociateClientVpnTargetNetwork").size());
            Plan again = ns.plan(f);
            assertFalse(again.hasChanges(), () -> "read back differs: " + again.actionable());
            ns.destroy(f);
            assertTrue(fake.clientVpn().endpoints().isEmpty());
            assertTrue(ns.plan(f).live().isEmpty());
        }
    }
}
