package io.netstack.provider.ec2.vpcpeeringacceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.MotoAssumeRole;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * A cross-account VPC peering with both sides in netstack, on moto: stack A (moto's default account)
 * requests it, stack B runs with the credentials AssumeRole gave for a role in account 222222222222
 * and accepts it with {@code vpc-peering-acceptance}, sets the accepter side's DNS option and routes
 * to it. Two engine runs with different credentials, no AWS CLI step. Then: each side plans zero,
 * the accepter's update is in place, destroying B leaves A's peering alone (only B's tags go), and
 * destroying A deletes it.
 */
@ExtendWith(AwsApiExtension.class)
class VpcPeeringAcceptanceIT {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT_B = "222222222222";

    static String accepter(String name, String extra) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "b": { "type": "vpc", "cidr": "10.72.0.0/16", "dnsHostnames": true } %s
              } }
            """.formatted(name, extra);
    }

    static String acceptance(String pcx, String options) {
        return """
            , "accept": { "type": "vpc-peering-acceptance", "peering": "%s" %s, "tags": { "side": "accepter" } },
              "b-rt": { "type": "route-table", "vpc": "${b}", "routes": [ { "destination": "10.71.0.0/16", "target": "${accept}" } ] }
            """.formatted(pcx, options);
    }

    @Test
    void theOtherAccountAcceptsWithItsOwnStack(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "AssumeRole into another account is moto's per-account state");
        MotoAssumeRole b = MotoAssumeRole.into(api, ACCOUNT_B);
        Map<String, String> envB = b.cliEnv(api, REGION);
        String nameA = api.uniqueStack("pcx-req"), nameB = api.uniqueStack("pcx-acc");
        try (Ec2Client ec2A = api.ec2(REGION); Ec2Client ec2B = b.ec2(api, REGION)) {
            Path fb = StackFiles.write(dir, "b.json", accepter(nameB, ""));
            assertEquals(0, Cli.run(envB, "apply", fb.toString(), "--auto-approve").exit());
            String vpcB = ec2B.describeVpcs().vpcs().stream().filter(v -> ItSupport.owned(v.tags(), nameB)).findFirst().orElseThrow().vpcId();
            assertTrue(ec2A.describeVpcs().vpcs().stream().noneMatch(v -> v.vpcId().equals(vpcB)), "B's VPC lives in account B only");

            Path fa = StackFiles.write(dir, "a.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "a": { "type": "vpc", "cidr": "10.71.0.0/16", "dnsHostnames": true },
                    "peering": { "type": "vpc-peering", "vpc": "${a}", "peerVpc": "%s", "peerAccount": "%s" }
                  },
                  "outputs": { "pcx": "${peering.id}" } }
                """.formatted(nameA, vpcB, ACCOUNT_B));
            Cli.Result requested = Cli.run(api, REGION, "apply", fa.toString(), "--auto-approve");
            assertEquals(0, requested.exit(), requested.toString());
            VpcPeeringConnection pcx = peering(ec2A, nameA);
            String pcxId = pcx.vpcPeeringConnectionId();
            assertEquals("pending-acceptance", pcx.status().codeAsString());

            StackFiles.write(dir, "b.json", accepter(nameB, acceptance(pcxId, ", \"dnsResolution\": true")));
            Cli.Result accepted = Cli.run(envB, "apply", fb.toString(), "--auto-approve");
            assertEquals(0, accepted.exit(), accepted.toString());

            VpcPeeringConnection seenByB = byId(ec2B, pcxId);
            assertEquals("active", seenByB.status().codeAsString());
            assertTrue(seenByB.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc(), "accepter side's DNS option");
            assertFalse(seenByB.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc(), "the requester's side is A's");
            Map<String, String> tagsB = tags(ec2B, pcxId);
            assertEquals(nameB, tagsB.get("netstack:stack"));
            assertEquals("accept", tagsB.get("netstack:id"));
            assertEquals("accepter", tagsB.get("netstack:role"));
            assertEquals("accepter", tagsB.get("side"));
            Map<String, String> tagsA = tags(ec2A, pcxId);
            assertEquals(nameA, tagsA.get("netstack:stack"), "A's own tags are untouched: " + tagsA);
            assertEquals("peering", tagsA.get("netstack:id"));
            RouteTable rt = ec2B.describeRouteTables().routeTables().stream().filter(t -> ItSupport.owned(t.tags(), nameB)).findFirst().orElseThrow();
            assertTrue(rt.routes().stream().anyMatch(r -> "10.71.0.0/16".equals(r.destinationCidrBlock()) && pcxId.equals(r.vpcPeeringConnectionId())), rt.toString());

            assertEquals(0, Cli.run(envB, "plan", fb.toString(), "--detailed-exitcode").exit(), "the accepter plans zero");
            Cli.Result planA = Cli.run(api, REGION, "plan", fa.toString(), "--detailed-exitcode");
            assertEquals(0, planA.exit(), "the requester plans zero: " + planA);

            // The accepter's DNS option is one in-place update.
            StackFiles.write(dir, "b.json", accepter(nameB, acceptance(pcxId, "")));
            Cli.Result changed = Cli.run(envB, "plan", fb.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, changed.exit(), changed.toString());
            JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
            assertEquals(1, changes.size(), changed.out());
            assertEquals("accept", changes.get(0).get("id").asText());
            assertEquals("update", changes.get(0).get("action").asText());
            assertEquals(0, Cli.run(envB, "apply", fb.toString(), "--auto-approve").exit());
            assertFalse(byId(ec2B, pcxId).accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
            assertEquals(0, Cli.run(envB, "plan", fb.toString(), "--detailed-exitcode").exit());

            // Destroying the accepter releases its view and leaves the requester's peering.
            Cli.Result destroyB = Cli.run(envB, "destroy", fb.toString(), "--auto-approve");
            assertEquals(0, destroyB.exit(), destroyB.toString());
            assertEquals("active", byId(ec2A, pcxId).status().codeAsString(), "the peering is the requester's to delete");
            assertTrue(tags(ec2B, pcxId).keySet().stream().noneMatch(k -> k.startsWith("netstack:") || k.equals("side")), tags(ec2B, pcxId).toString());
            assertEquals(nameA, tags(ec2A, pcxId).get("netstack:stack"));
            assertEquals(0, Cli.run(api, REGION, "plan", fa.toString(), "--detailed-exitcode").exit());

            assertEquals(0, Cli.run(api, REGION, "destroy", fa.toString(), "--auto-approve").exit());
            assertTrue(List.of("deleted", "deleting").contains(byId(ec2A, pcxId).status().codeAsString()));
        }
    }

    @Test
    void aRequestOfThisAccountIsRefusedBeforeAnythingChanges(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("pcx-same");
        try (Ec2Client ec2 = api.ec2(REGION)) {
            String v1 = ec2.createVpc(r -> r.cidrBlock("10.73.0.0/16")).vpc().vpcId();
            String v2 = ec2.createVpc(r -> r.cidrBlock("10.74.0.0/16")).vpc().vpcId();
            String pcxId = ec2.createVpcPeeringConnection(r -> r.vpcId(v1).peerVpcId(v2)).vpcPeeringConnection().vpcPeeringConnectionId();
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": { "accept": { "type": "vpc-peering-acceptance", "peering": "%s" } } }
                """.formatted(name, pcxId));
            Cli.Result r = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.all().contains("was requested by this account") && r.all().contains("autoAccept"), r.toString());
            assertEquals("pending-acceptance", byId(ec2, pcxId).status().codeAsString(), "not accepted");
            assertTrue(tags(ec2, pcxId).isEmpty(), "not tagged");
            ec2.deleteVpcPeeringConnection(x -> x.vpcPeeringConnectionId(pcxId));
            ec2.deleteVpc(x -> x.vpcId(v1));
            ec2.deleteVpc(x -> x.vpcId(v2));
        }
    }

    static VpcPeeringConnection peering(Ec2Client ec2, String stack) {
        return ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
                .filter(p -> ItSupport.owned(p.tags(), stack)).findFirst().orElseThrow();
    }

    static VpcPeeringConnection byId(Ec2Client ec2, String pcxId) {
        return ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
                .filter(p -> p.vpcPeeringConnectionId().equals(pcxId)).findFirst().orElseThrow();
    }

    /** The calling account's own tags of the peering (EC2 keeps them per account). */
    static Map<String, String> tags(Ec2Client ec2, String pcxId) {
        return ec2.describeTags(r -> r.filters(f -> f.name("resource-id").values(pcxId))).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }
}
