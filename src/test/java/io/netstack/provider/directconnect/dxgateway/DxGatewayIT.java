package io.netstack.provider.directconnect.dxgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
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
import software.amazon.awssdk.services.directconnect.DirectConnectClient;
import software.amazon.awssdk.services.directconnect.model.Tag;

/**
 * dx-gateway round trip through the real SDK against {@link FakeAwsServer} (moto has no Direct
 * Connect gateways): create with ownership tags in the create call, read back as no change, rename
 * and retag in place, replace on an ASN change, destroy. Everything else the plan reads goes to moto.
 */
@ExtendWith(AwsApiExtension.class)
class DxGatewayIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String gatewayName, long asn, String team) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "gw": { "type": "dx-gateway", %s "amazonAsn": %d, "tags": { "team": "%s" } }
              } }
            """.formatted(name, gatewayName == null ? "" : "\"name\": \"" + gatewayName + "\",", asn, team);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION)) {
            String name = api.uniqueStack("dxgw");
            Path f = StackFiles.write(dir, "s.json", stack(name, null, 64600, "net"));

            ns.apply(f);
            var create = fake.requests("CreateDirectConnectGateway");
            assertEquals(1, create.size());
            assertEquals(name + "-gw", create.get(0).param("directConnectGatewayName"), "default name <stack>-<id>");
            assertEquals("64600", create.get(0).param("amazonSideAsn"));
            Map<String, String> tags = tags(create.get(0).json().get("tags"));
            assertEquals(Map.of("netstack:stack", name, "netstack:id", "gw", "Name", name + "/gw", "netstack:region", REGION, "team", "net"), tags,
                    "ownership tags go in the create call itself");
            assertTrue(fake.requests("DescribeDirectConnectGateways").size() >= 2, "waited for available");
            String gwId = fake.directConnect().gateways().keySet().iterator().next();

            Plan again = ns.plan(f);
            assertFalse(again.hasChanges(), () -> "read back differs: " + again.actionable());

            StackFiles.write(dir, "s.json", stack(name, "edge-gateway", 64600, "platform"));
            Plan rename = ns.plan(f);
            assertEquals(1, rename.actionable().size());
            Change c = rename.actionable().get(0);
            assertEquals(Action.UPDATE, c.action());
            assertEquals(List.of("name", "tags.team"), c.diffs().stream().map(d -> d.path()).sorted().toList());
            fake.clearRequests();
            ns.apply(f);
            assertEquals("edge-gateway", fake.requests("UpdateDirectConnectGateway").get(0).param("newDirectConnectGatewayName"));
            assertEquals(1, fake.requests("TagResource").size());
            assertTrue(fake.requests("TagResource").get(0).param("resourceArn").endsWith(":dx-gateway/" + gwId));
            assertEquals("edge-gateway", fake.directConnect().gateways().get(gwId));
            assertFalse(ns.plan(f).hasChanges());

            StackFiles.write(dir, "s.json", stack(name, "edge-gateway", 4200000001L, "platform"));
            Plan replace = ns.plan(f);
            assertEquals(Action.REPLACE, replace.actionable().get(0).action());
            assertEquals(List.of("amazonAsn is create-only"), replace.actionable().get(0).reasons());
            ns.apply(f);
            assertEquals(1, fake.directConnect().gateways().size());
            String newId = fake.directConnect().gateways().keySet().iterator().next();
            assertNotEquals(gwId, newId);
            assertFalse(ns.plan(f).hasChanges());

            ns.destroy(f);
            assertTrue(fake.directConnect().gateways().isEmpty());
            assertFalse(ns.plan(f).live().containsKey("gw"));
        }
    }

    /** Global objects: a gateway of the same stack name made for another region, or one with no tags, is never the stack's. */
    @Test
    void ownsOnlyItsRegionsTaggedGateways(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION);
             DirectConnectClient dx = fake.directConnectClient(REGION)) {
            fake.pendingReads(0);
            String name = api.uniqueStack("dxgw");
            dx.createDirectConnectGateway(r -> r.directConnectGatewayName("other-region").tags(
                    Tag.builder().key("netstack:stack").value(name).build(), Tag.builder().key("netstack:id").value("gw").build(),
                    Tag.builder().key("netstack:region").value("us-east-1").build()));
            dx.createDirectConnectGateway(r -> r.directConnectGatewayName(name + "-gw"));
            for (int i = 0; i < 3; i++) dx.createDirectConnectGateway(r -> r.directConnectGatewayName("filler")); // more than one page

            Path f = StackFiles.write(dir, "s.json", stack(name, null, 64512, "net"));
            Plan plan = ns.plan(f);
            assertEquals(1, plan.actionable().size());
            assertEquals(Action.CREATE, plan.actionable().get(0).action(), "neither foreign gateway is taken for gw");
            ns.apply(f);
            assertFalse(ns.plan(f).hasChanges());
            ns.destroy(f);
            assertEquals(5, fake.directConnect().gateways().size(), "the five foreign gateways are untouched");
        }
    }

    static Map<String, String> tags(com.fasterxml.jackson.databind.JsonNode tags) {
        Map<String, String> m = new java.util.TreeMap<>();
        tags.forEach(t -> m.put(t.path("key").asText(), t.path("value").asText()));
        return m;
    }
}
