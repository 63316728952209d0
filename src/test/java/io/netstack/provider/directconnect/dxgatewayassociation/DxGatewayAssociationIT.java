package io.netstack.provider.directconnect.dxgatewayassociation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
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
 * dx-gateway-association through the real SDK against {@link FakeAwsServer} (moto has no Direct
 * Connect gateway associations): the ownership record on the gateway is written before the
 * association, read back as no change, allowed prefixes updated in place (add and remove in one
 * call, waited for until they read back), a hand-made association is neither adopted nor deleted,
 * an association on a gateway the stack does not own works the same, destroy cleans up the record.
 */
@ExtendWith(AwsApiExtension.class)
class DxGatewayAssociationIT {
    static final String REGION = "eu-west-1";
    static final String VGW = "vgw-0a1b2c3d4e5f60718";
    static final String TGW = "tgw-0a1b2c3d4e5f60718";

    static String stack(String name, String vgwPrefixes, String tgwPrefixes) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "gw":  { "type": "dx-gateway" },
                "to-vgw": { "type": "dx-gateway-association", "dxGateway": "${gw}", "gateway": "%s", "allowedPrefixes": %s },
                "to-tgw": { "type": "dx-gateway-association", "dxGateway": "${gw}", "gateway": "%s", "allowedPrefixes": %s }
              } }
            """.formatted(name, VGW, vgwPrefixes, TGW, tgwPrefixes);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION)) {
            FakeDirectConnect dx = fake.directConnect();
            String name = api.uniqueStack("dxassoc");
            Path f = StackFiles.write(dir, "s.json", stack(name, "[\"10.1.0.0/16\"]", "[\"10.8.0.0/16\", \"10.9.0.0/16\"]"));

            ns.apply(f);
            String gwId = dx.gateways().keySet().iterator().next();
            assertEquals(2, dx.associations().size());
            Map<String, String> tags = dx.gatewayTags(gwId);
            assertEquals(REGION + "/" + name + "/to-vgw", tags.get("netstack:association:" + VGW));
            assertEquals(REGION + "/" + name + "/to-tgw", tags.get("netstack:association:" + TGW));
            List<FakeAwsServer.Request> all = fake.requests();
            for (String gw : List.of(VGW, TGW)) {
                int tagged = -1, created = -1;
                for (int i = 0; i < all.size(); i++) {
                    FakeAwsServer.Request r = all.get(i);
                    if (r.action().equals("TagResource") && r.body().contains("netstack:association:" + gw) && tagged < 0) tagged = i;
                    if (r.action().equals("CreateDirectConnectGatewayAssociation") && gw.equals(r.param("gatewayId"))) created = i;
                }
                assertTrue(tagged >= 0 && tagged < created, "the ownership record of " + gw + " is written before its association");
            }
            var create = fake.requests("CreateDirectConnectGatewayAssociation").stream().filter(r -> TGW.equals(r.param("gatewayId"))).findFirst().orElseThrow();
            assertEquals(gwId, create.param("directConnectGatewayId"));
            assertEquals("[{\"cidr\":\"10.8.0.0/16\"},{\"cidr\":\"10.9.0.0/16\"}]", create.json().get("addAllowedPrefixesToDirectConnectGateway").toString());

            Plan again = ns.plan(f);
            assertFalse(again.hasChanges(), () -> "read back differs: " + again.actionable());

            // in place: 10.9 out, 10.10 in, one call; then the prefixes read back as sent
            StackFiles.write(dir, "s.json", stack(name, "[\"10.1.0.0/16\"]", "[\"10.8.0.0/16\", \"10.10.0.0/16\"]"));
            Plan upd = ns.plan(f);
            assertEquals(1, upd.actionable().size());
            Change c = upd.actionable().get(0);
            assertEquals("to-tgw", c.id());
            assertEquals(Action.UPDATE, c.action());
            fake.clearRequests();
            ns.apply(f);
            var update = fake.requests("UpdateDirectConnectGatewayAssociation");
            assertEquals(1, update.size());
            assertEquals("[{\"cidr\":\"10.10.0.0/16\"}]", update.get(0).json().get("addAllowedPrefixesToDirectConnectGateway").toString());
            assertEquals("[{\"cidr\":\"10.9.0.0/16\"}]", update.get(0).json().get("removeAllowedPrefixesToDirectConnectGateway").toString());
            assertFalse(ns.plan(f).hasChanges(), "the update was waited for until the new prefixes read back");

            // an association made by hand on the same gateway is not the stack's: not listed, not deleted
            String byHand = dx.associateByHand(gwId, "vgw-0ffffffffffffffff", "192.168.0.0/16");
            assertFalse(ns.plan(f).hasChanges());

            // the gateway cannot go while the hand-made association exists; AWS's own message says why
            AssertionError blocked = assertThrows(AssertionError.class, () -> ns.destroy(f));
            assertTrue(blocked.getMessage().contains("has gateway associations"), blocked.getMessage());
            assertEquals(1, dx.associations().size(), "ours are gone, the hand-made one stays");
            assertTrue(dx.associations().containsKey(byHand));
            assertNull(dx.gatewayTags(gwId).get("netstack:association:" + VGW), "ownership records are removed with the associations");
            fake.pendingReads(0);
            try (var client = fake.directConnectClient(REGION)) {
                client.deleteDirectConnectGatewayAssociation(r -> r.associationId(byHand));
            }
            ns.destroy(f);
            assertTrue(dx.gateways().isEmpty());
        }
    }

    /** A hand-made association for the pair in the file is a conflict, never adopted. */
    @Test
    void doesNotTakeOverAHandMadeAssociation(AwsApi api, @TempDir Path dir) throws Exception {
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint()); FastNetstack ns = new FastNetstack(fake.endpoint(), REGION);
             var client = fake.directConnectClient(REGION)) {
            fake.pendingReads(0);
            String name = api.uniqueStack("dxassoc");
            String foreign = client.createDirectConnectGateway(r -> r.directConnectGatewayName("not-netstack")).directConnectGateway().directConnectGatewayId();
            String byHand = fake.directConnect().associateByHand(foreign, VGW, "10.1.0.0/16");
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": { "a": { "type": "dx-gateway-association", "dxGateway": "%s", "gateway": "%s" } } }
                """.formatted(name, foreign, VGW));
            AssertionError e = assertThrows(AssertionError.class, () -> ns.apply(f));
            assertTrue(e.getMessage().contains("made outside netstack"), e.getMessage());
            assertTrue(fake.requests("CreateDirectConnectGatewayAssociation").isEmpty());
            assertTrue(fake.requests("TagResource").isEmpty(), "nothing was marked as netstack's");

            // on a gateway netstack does not own, with the pair free: works, found again through the record
            client.deleteDirectConnectGatewayAssociation(r -> r.associationId(byHand));
            ns.apply(f);
            var created = fake.requests("CreateDirectConnectGatewayAssociation");
            assertEquals(1, created.size());
            assertNull(created.get(0).json().get("addAllowedPrefixesToDirectConnectGateway"), "no prefixes given: AWS's default, not managed");
            Plan again = ns.plan(f);
            assertFalse(again.hasChanges(), () -> "read back differs: " + again.actionable());
            assertEquals("[\"" + FakeDirectConnect.DEFAULT_VGW_PREFIX + "\"]", again.live().get("a").properties().get("allowedPrefixes").toString(),
                    "AWS's choice is read, and not diffed against a file that leaves it open");
            ns.destroy(f);
            assertTrue(fake.directConnect().associations().isEmpty());
            assertEquals(Map.of(foreign, "not-netstack"), fake.directConnect().gateways(), "the foreign gateway stays");
            assertTrue(fake.directConnect().gatewayTags(foreign).isEmpty(), "and carries no record any more");
        }
    }
}
