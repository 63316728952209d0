package io.netstack.provider.directconnect.dxvirtualinterface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanJson;
import io.netstack.spi.ResourceSpec;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeAwsServer;
import io.netstack.testing.fake.FakeDirectConnect;
import io.netstack.testing.fake.FastNetstack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * dx-virtual-interface through the real SDK against {@link FakeAwsServer} (moto has no virtual
 * interfaces, and the SDK cannot parse its connections): private and transit interfaces on a Direct
 * Connect gateway, an interface that settles in {@code down} counts as created, tags read with
 * DescribeTags (or inline), read back as no change, MTU and name in place, a changed BGP key planned
 * as a replacement without ever being read or shown, destroy.
 */
@ExtendWith(AwsApiExtension.class)
class DxVirtualInterfaceIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, int privateMtu, String key, String transitName) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "gw": { "type": "dx-gateway", "amazonAsn": 64620 },
                "private": { "type": "dx-virtual-interface", "connection": "%s", "kind": "private", "vlan": 101,
                             "customerAsn": 65010, "dxGateway": "${gw}", "mtu": %d, "authKey": "%s", "tags": { "site": "ld5" } },
                "transit": { "type": "dx-virtual-interface", "connection": "%s", "kind": "transit", "vlan": 102,
                             "customerAsn": 4200000100, "dxGateway": "${gw}", "mtu": 8500, "name": "%s",
                             "amazonAddress": "169.254.100.1/30", "customerAddress": "169.254.100.2/30" }
              } }
            """.formatted(name, FakeDirectConnect.CONNECTION, privateMtu, key, FakeDirectConnect.CONNECTION, transitName);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION)) {
            FakeDirectConnect dx = fake.directConnect();
            String name = api.uniqueStack("dxvif");
            Path f = StackFiles.write(dir, "s.json", stack(name, 1500, "first-bgp-key-1", "to-tgw"));

            ns.apply(f);
            var priv = fake.requests("CreatePrivateVirtualInterface");
            assertEquals(1, priv.size());
            var n = priv.get(0).json();
            assertEquals(FakeDirectConnect.CONNECTION, n.path("connectionId").asText());
            var vif = n.path("newPrivateVirtualInterface");
            assertEquals(101, vif.path("vlan").asInt());
            assertEquals(65010, vif.path("asnLong").asLong());
            assertEquals(name + "-private", vif.path("virtualInterfaceName").asText());
            assertEquals("first-bgp-key-1", vif.path("authKey").asText(), "the key is sent in the create call");
            assertEquals(dx.gateways().keySet().iterator().next(), vif.path("directConnectGatewayId").asText());
            Map<String, String> tags = tags(vif.path("tags"));
            assertEquals(name, tags.get("netstack:stack"));
            assertEquals("private", tags.get("netstack:id"));
            assertEquals("ld5", tags.get("site"));
            assertTrue(tags.containsKey(ResourceSpec.SECRETS_TAG), "a digest of the key is stored, never the key");
            assertFalse(tags.containsValue("first-bgp-key-1"));
            var transit = fake.requests("CreateTransitVirtualInterface").get(0).json().path("newTransitVirtualInterface");
            assertEquals(4200000100L, transit.path("asnLong").asLong(), "4-byte ASNs go in asnLong");
            assertTrue(transit.path("asn").isMissingNode(), "and not in the int member");
            assertEquals(8500, transit.path("mtu").asInt());
            assertTrue(transit.path("authKey").isMissingNode(), "no key given: AWS makes one");
            assertTrue(dx.virtualInterfaces().values().stream().allMatch(s -> s.endsWith(" down")), "BGP is not up on the fake connection: down counts as created");

            Plan again = ns.plan(f);
            assertFalse(again.hasChanges(), () -> "read back differs: " + again.actionable());
            assertFalse(again.live().get("private").properties().has("authKey"), "the key is never read back");
            assertEquals(FakeDirectConnect.CONNECTION, again.live().get("private").properties().path("connection").asText());
            assertTrue(fake.requests("DescribeTags").size() >= 2, "tags read per interface when the Describe has none");
            assertEquals(DxVirtualInterfaceType.NO_SECRETS, again.live().get("transit").attributes().get(ResourceSpec.SECRETS_TAG));
            String privateId = again.live().get("private").awsId();

            // in place: MTU and name
            StackFiles.write(dir, "s.json", stack(name, 9001, "first-bgp-key-1", "to-tgw-renamed"));
            Plan upd = ns.plan(f);
            assertEquals(List.of("private", "transit"), upd.actionable().stream().map(Change::id).sorted().toList());
            assertTrue(upd.actionable().stream().allMatch(c -> c.action() == Action.UPDATE));
            fake.clearRequests();
            ns.apply(f);
            var mtu = fake.requests("UpdateVirtualInterfaceAttributes").stream().filter(r -> privateId.equals(r.param("virtualInterfaceId"))).findFirst().orElseThrow();
            assertEquals("9001", mtu.param("mtu"));
            assertNull(mtu.param("virtualInterfaceName"));
            assertTrue(dx.virtualInterfaces().get(privateId).startsWith("private 101 9001"));
            Plan settled = ns.plan(f);
            assertFalse(settled.hasChanges(), () -> "the MTU change was waited for: " + settled.actionable());

            // a new key: a replacement (create-only), shown as sensitive, never in clear
            StackFiles.write(dir, "s.json", stack(name, 9001, "second-bgp-key-2", "to-tgw-renamed"));
            Plan rekey = ns.plan(f);
            assertEquals(1, rekey.actionable().size());
            Change c = rekey.actionable().get(0);
            assertEquals(Action.REPLACE, c.action());
            assertEquals(List.of("authKey is create-only"), c.reasons());
            String rendered = PlanJson.render(rekey).toString();
            assertFalse(rendered.contains("first-bgp-key-1") || rendered.contains("second-bgp-key-2"), rendered);
            assertTrue(rendered.contains(PlanJson.SENSITIVE));
            ns.apply(f);
            String newId = ns.plan(f).live().get("private").awsId();
            assertNotEquals(privateId, newId);
            assertEquals("second-bgp-key-2", dx.authKeyOf(newId));
            assertFalse(ns.plan(f).hasChanges());

            ns.destroy(f);
            assertTrue(dx.virtualInterfaces().isEmpty());
            assertTrue(dx.gateways().isEmpty(), "interfaces go before their gateway");
        }
    }

    /** When DescribeVirtualInterfaces carries the tags, no DescribeTags call is made. */
    @Test
    void inlineTagsNeedNoPerInterfaceCall(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION)) {
            fake.directConnect().inlineVirtualInterfaceTags(true).virtualInterfacesSettleIn("available");
            String name = api.uniqueStack("dxvif");
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "vif": { "type": "dx-virtual-interface", "connection": "%s", "kind": "private", "vlan": 300,
                             "customerAsn": 65020, "vpnGateway": "vgw-0a1b2c3d4e5f60718" } } }
                """.formatted(name, FakeDirectConnect.CONNECTION));
            ns.apply(f);
            fake.clearRequests();
            assertFalse(ns.plan(f).hasChanges());
            assertTrue(fake.requests("DescribeTags").isEmpty());
            assertEquals("vgw-0a1b2c3d4e5f60718", ns.plan(f).live().get("vif").properties().path("vpnGateway").asText());
            ns.destroy(f);
            assertTrue(fake.directConnect().virtualInterfaces().isEmpty());
        }
    }

    static Map<String, String> tags(com.fasterxml.jackson.databind.JsonNode tags) {
        Map<String, String> m = new java.util.TreeMap<>();
        tags.forEach(t -> m.put(t.path("key").asText(), t.path("value").asText()));
        return m;
    }
}
