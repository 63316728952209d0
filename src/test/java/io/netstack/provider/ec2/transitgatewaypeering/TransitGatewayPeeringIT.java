package io.netstack.provider.ec2.transitgatewaypeering;

import static io.netstack.testing.ItSupport.tags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.TransitGatewayPeeringAttachment;

/**
 * transit-gateway-peering: requested and accepted in one apply, both within the region (two
 * gateways of the stack) and across regions (a peer gateway in eu-central-1 that netstack does not
 * manage, accepted there with a client for that region) → no-change plan → a change of a
 * create-only property plans a replacement → destroy → nothing owned left.
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayPeeringIT {
    static final String REGION = "eu-west-1";
    static final String PEER_REGION = "eu-central-1";

    static String stack(String name, String remotePeer, String remoteRegion) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw-a":  { "type": "transit-gateway", "amazonAsn": 64601 },
                "tgw-b":  { "type": "transit-gateway", "amazonAsn": 64602 },
                "local":  { "type": "transit-gateway-peering", "transitGateway": "${tgw-a}", "peerTransitGateway": "${tgw-b}" },
                "remote": { "type": "transit-gateway-peering", "transitGateway": "${tgw-a}", "peerTransitGateway": "%s",
                            "peerRegion": "%s", "tags": { "peer": "frankfurt" } }
              } }
            """.formatted(name, remotePeer, remoteRegion);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("tgwpeer");
        Ec2Client ec2 = api.ec2(REGION), peerEc2 = api.ec2(PEER_REGION);
        String peerTgw = peerEc2.createTransitGateway(r -> r.options(o -> o.amazonSideAsn(64700L))).transitGateway().transitGatewayId();
        try {
            Path f = StackFiles.write(dir, "s.json", stack(name, peerTgw, PEER_REGION));
            Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            Map<String, TransitGatewayPeeringAttachment> peerings = owned(ec2, name);
            assertEquals(List.of("local", "remote"), peerings.keySet().stream().sorted().toList());
            assertEquals("available", peerings.get("local").stateAsString(), "same account and region: accepted by the apply");
            assertEquals("available", peerings.get("remote").stateAsString(), "same account, other region: accepted there");
            assertEquals(peerTgw, peerings.get("remote").accepterTgwInfo().transitGatewayId());
            assertEquals(PEER_REGION, peerings.get("remote").accepterTgwInfo().region());
            assertEquals("frankfurt", tags(peerings.get("remote").tags()).get("peer"));
            assertEquals(name + "/local", tags(peerings.get("local").tags()).get("Name"));

            Cli.Result same = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, same.exit(), same.toString());

            // Create-only: another peer region is a replacement, and says why.
            StackFiles.write(dir, "other.json", stack(name, peerTgw, "eu-north-1"));
            Cli.Result replace = Cli.run(api, REGION, "plan", dir.resolve("other.json").toString(), "--json", "--detailed-exitcode");
            assertEquals(2, replace.exit(), replace.toString());
            JsonNode changes = Json.MAPPER.readTree(replace.out()).get("changes");
            assertEquals(1, changes.size(), replace.out());
            assertEquals("replace", changes.get(0).get("action").asText());
            assertTrue(changes.get(0).get("reasons").toString().contains("peerRegion is create-only"), replace.out());

            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(owned(ec2, name).isEmpty(), "no peering left");
            assertTrue(ec2.describeTransitGateways().transitGateways().stream()
                    .noneMatch(t -> !"deleted".equals(t.stateAsString()) && t.tags().stream().anyMatch(tg -> tg.value().equals(name))), "no gateway left");
            assertEquals(1, peerEc2.describeTransitGateways(r -> r.transitGatewayIds(peerTgw)).transitGateways().size(),
                    "the peer gateway netstack does not manage is untouched");
        } finally {
            peerEc2.deleteTransitGateway(r -> r.transitGatewayId(peerTgw));
        }
    }

    @Test
    void peeringWithItselfIsRejectedOffline(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", stack(api.uniqueStack("tgwpeer"), "${tgw-a}", REGION));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.all().contains("cannot peer with itself"), r.toString());
    }

    /** netstack:id → peering, owned by the stack, not deleted, requested from this region. */
    static Map<String, TransitGatewayPeeringAttachment> owned(Ec2Client ec2, String stack) {
        return ec2.describeTransitGatewayPeeringAttachments(r -> { }).transitGatewayPeeringAttachments().stream()
                .filter(a -> a.requesterTgwInfo() != null && !"deleted".equals(a.stateAsString()))
                .filter(a -> ItSupport.owned(a.tags(), stack))
                .collect(Collectors.toMap(a -> ItSupport.logicalId(a.tags()), a -> a));
    }

}
