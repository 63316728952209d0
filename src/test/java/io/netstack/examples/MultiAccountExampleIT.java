package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.provider.ec2.transitgatewayattachmentacceptance.SharedAttachmentProxy;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.MotoAssumeRole;
import io.netstack.testing.MotoTgwProxy;
import io.netstack.testing.fake.FakeRam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * stacks/multi-account/ (issue 17) applied as shipped, with one command, on moto: the hub account
 * 111111111111 (transit gateway shared through RAM, hub VPC), spoke A 222222222222 in the same
 * region (accepts the share, attaches its VPC), spoke B 333333333333 in us-east-1 (peers with the
 * hub VPC across account and region), and the hub's second half (accepts both, associates the
 * attachment, routes). Each stack's {@code roleArn} is assumed by the CLI itself through moto's STS.
 * moto's gaps are covered by the fakes, chained: {@link SharedGatewayProxy} (a shared gateway seen
 * from the spoke's account) → {@link FakeRam} (invitations, the share seen by the spoke) →
 * {@link SharedAttachmentProxy} (the spoke's attachment pendingAcceptance for the hub, the accept)
 * → {@link MotoTgwProxy} (AWS's default-table behaviour) → moto.
 */
@ExtendWith(AwsApiExtension.class)
class MultiAccountExampleIT {
    static final Path EXAMPLE = Path.of("stacks/multi-account");
    static final String HUB = "111111111111", SPOKE_A = "222222222222", SPOKE_B = "333333333333";
    static final String REGION = "eu-west-1", SPOKE_B_REGION = "us-east-1";

    /** The fakes in front of moto, and the CLI environment that goes through them. */
    record Chain(MotoTgwProxy tgw, SharedAttachmentProxy attachments, FakeRam ram, SharedGatewayProxy gateway, Map<String, String> env)
            implements AutoCloseable {
        static Chain start(AwsApi api) {
            try {
                MotoTgwProxy tgw = new MotoTgwProxy(api.endpoint());
                SharedAttachmentProxy attachments = new SharedAttachmentProxy(tgw.endpoint(), 1);
                FakeRam ram = FakeRam.start(attachments.endpoint());
                SharedGatewayProxy gateway = new SharedGatewayProxy(ram.endpoint(), ram, attachments::foreign);
                Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
                env.put("AWS_ENDPOINT_URL", gateway.endpoint().toString());
                return new Chain(tgw, attachments, ram, gateway, env);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            gateway.close();
            ram.close();
            attachments.close();
            tgw.close();
        }
    }

    /** The example's four stacks under unique names; {@code edit} may change a file's text. */
    static Map<String, String> copyExample(AwsApi api, Path dir, Map<String, UnaryOperator<String>> edit) throws IOException {
        Map<String, String> names = new HashMap<>();
        for (String s : List.of("hub", "spoke-a", "spoke-b", "hub-accept")) names.put(s, api.uniqueStack("mx-" + s));
        List<Path> files;
        try (Stream<Path> l = Files.list(EXAMPLE)) {
            files = l.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertEquals(4, files.size(), "the example's stack files: " + files);
        for (Path f : files) {
            String text = Files.readString(f);
            for (Map.Entry<String, String> n : names.entrySet()) {
                text = text.replace("\"stack\": \"" + n.getKey() + "\"", "\"stack\": \"" + n.getValue() + "\"")
                        .replace("${stack:" + n.getKey() + "/", "${stack:" + n.getValue() + "/");
            }
            String file = f.getFileName().toString();
            text = edit.getOrDefault(file, t -> t).apply(text);
            Files.writeString(dir.resolve(file), text.replace("../schema/", "./schema/"));
        }
        return names;
    }

    @Test
    void oneCommandAppliesPlansZeroDriftsZeroAndDestroysAcrossAccounts(AwsApi api, @TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(api.isMoto(), "AssumeRole accounts and the fakes for moto's RAM and shared-gateway gaps");
        Map<String, String> n = copyExample(api, dir, Map.of());
        String hub = n.get("hub"), spokeA = n.get("spoke-a"), spokeB = n.get("spoke-b"), accept = n.get("hub-accept");
        Ec2Client hubEc2 = MotoAssumeRole.into(api, HUB).ec2(api, REGION);
        Ec2Client aEc2 = MotoAssumeRole.into(api, SPOKE_A).ec2(api, REGION);
        Ec2Client bEc2 = MotoAssumeRole.into(api, SPOKE_B).ec2(api, SPOKE_B_REGION);
        try (Chain chain = Chain.start(api)) {
            try {
                Cli.Result plan = Cli.run(chain.env(), "plan", "--json", dir.toString());
                assertEquals(0, plan.exit(), plan.toString());
                JsonNode stacks = Json.MAPPER.readTree(plan.out()).get("stacks");
                assertEquals(4, stacks.size(), plan.out());
                Map<String, String[]> where = Map.of(hub, new String[] {HUB, REGION}, spokeA, new String[] {SPOKE_A, REGION},
                        spokeB, new String[] {SPOKE_B, SPOKE_B_REGION}, accept, new String[] {HUB, REGION});
                List<String> order = new ArrayList<>();
                for (JsonNode s : stacks) {
                    String name = s.get("stack").asText();
                    order.add(name);
                    assertEquals(where.get(name)[0], s.get("account").asText(), name);
                    assertEquals(where.get(name)[1], s.get("region").asText(), name);
                    // hub and hub-accept share one session (one per account block and region), named after one of them
                    assertTrue(s.get("identity").asText().startsWith("arn:aws:sts::" + where.get(name)[0] + ":assumed-role/netstack/netstack-mx-"), s.toString());
                }
                assertEquals(hub, order.get(0), "the hub is referenced by every other stack: " + order);
                assertEquals(accept, order.get(3), "the hub's acceptances reference both spokes: " + order);
                Cli.Result text = Cli.run(chain.env(), "plan", dir.toString());
                for (String[] w : List.of(new String[] {hub, HUB, REGION}, new String[] {spokeA, SPOKE_A, REGION},
                        new String[] {spokeB, SPOKE_B, SPOKE_B_REGION}, new String[] {accept, HUB, REGION})) {
                    assertTrue(text.out().contains("Stack " + w[0] + ": account " + w[1] + ", region " + w[2] + ", as arn:aws:sts::" + w[1] + ":assumed-role/netstack/"),
                            text.toString());
                }
                assertTrue(text.out().contains("as arn:aws:sts::" + SPOKE_B + ":assumed-role/netstack/netstack-" + spokeB), text.toString());

                Cli.Result apply = Cli.run(chain.env(), "apply", "--auto-approve", dir.toString());
                assertEquals(0, apply.exit(), apply.toString());

                // Spoke A's attachment: in spoke A's account, accepted and associated by the hub.
                String tgw = hubEc2.describeTransitGateways(r -> r.filters(ItSupport.stackFilter(hub))).transitGateways().get(0).transitGatewayId();
                String share = chain.ram().calls("acceptresourceshareinvitation").isEmpty() ? null : chain.ram().calls("acceptresourceshareinvitation").get(0).account();
                assertEquals(SPOKE_A, share, "spoke A accepted the hub's share invitation itself");
                assertEquals(1, aEc2.describeTransitGatewayVpcAttachments(r -> r.filters(ItSupport.stackFilter(spokeA))).transitGatewayVpcAttachments().size());
                assertEquals(1, chain.attachments().accepted().size(), "the hub accepted spoke A's attachment once");
                String twin = chain.attachments().accepted().get(0);
                assertEquals(tgw, hubEc2.describeTransitGatewayVpcAttachments(r -> r.transitGatewayAttachmentIds(twin))
                        .transitGatewayVpcAttachments().get(0).transitGatewayId(), "attached to the hub's gateway");
                String tgwRt = hubEc2.describeTransitGatewayRouteTables(r -> r.filters(ItSupport.stackFilter(accept)))
                        .transitGatewayRouteTables().get(0).transitGatewayRouteTableId();
                assertTrue(hubEc2.getTransitGatewayRouteTableAssociations(r -> r.transitGatewayRouteTableId(tgwRt)).associations().stream()
                        .anyMatch(a -> twin.equals(a.transitGatewayAttachmentId())), "the hub associated spoke A's attachment");

                // Spoke B's peering: requested from us-east-1 in 333…, accepted by the hub in eu-west-1.
                List<VpcPeeringConnection> pcx = bEc2.describeVpcPeeringConnections(r -> r.filters(ItSupport.stackFilter(spokeB)))
                        .vpcPeeringConnections().stream().filter(p -> !Set.of("deleted", "rejected", "failed").contains(p.status().codeAsString())).toList();
                assertEquals(1, pcx.size(), pcx.toString());
                assertEquals("active", pcx.get(0).status().codeAsString(), "accepted in the same command");
                assertEquals(HUB, pcx.get(0).accepterVpcInfo().ownerId());
                assertEquals(REGION, pcx.get(0).accepterVpcInfo().region());
                assertTrue(hubEc2.describeRouteTables(r -> r.filters(ItSupport.stackFilter(accept))).routeTables().get(0).routes().stream()
                        .anyMatch(r -> "10.2.0.0/16".equals(r.destinationCidrBlock()) && pcx.get(0).vpcPeeringConnectionId().equals(r.vpcPeeringConnectionId())),
                        "the hub routes to spoke B over the accepted peering");

                Cli.Result output = Cli.run(chain.env(), "output", "--json", dir.resolve("hub.json").toString());
                assertEquals(0, output.exit(), output.toString());
                String shareArn = Json.MAPPER.readTree(output.out()).path("share").asText();
                assertTrue(shareArn.startsWith("arn:aws:ram:" + REGION + ":" + HUB + ":resource-share/"), shareArn);

                Cli.Result again = Cli.run(chain.env(), "plan", "--detailed-exitcode", dir.toString());
                assertEquals(0, again.exit(), "zero changes after the apply: " + again);
                Cli.Result drift = Cli.run(chain.env(), "drift", dir.toString());
                assertEquals(0, drift.exit(), drift.toString());

                Cli.Result destroy = Cli.run(chain.env(), "destroy", "--auto-approve", dir.toString());
                assertEquals(0, destroy.exit(), destroy.toString());
                ItSupport.assertBefore(destroy.out(), "[" + accept + "]  deleted tgw-routes (transit-gateway-route-table)", "[" + spokeA + "]  deleting attachment (transit-gateway-attachment)");
                ItSupport.assertBefore(destroy.out(), "[" + accept + "]  deleted spoke-b (vpc-peering-acceptance)", "[" + spokeB + "]  deleting to-hub (vpc-peering)");
                ItSupport.assertBefore(destroy.out(), "[" + spokeA + "]  deleted attachment (transit-gateway-attachment)", "[" + hub + "]  deleting tgw (transit-gateway)");
                ItSupport.assertBefore(destroy.out(), "[" + spokeB + "]  deleted to-hub (vpc-peering)", "[" + hub + "]  deleting vpc (vpc)");
                assertNothingOwned(n.values(), hubEc2, aEc2, bEc2);
                assertEquals("DELETED", chain.ram().share(shareArn).get("status").asText(), "the hub's share is deleted with the hub");
            } finally {
                Cli.run(chain.env(), "destroy", "--auto-approve", dir.toString());
            }
        }
    }

    /**
     * A spoke whose create fails (a zone us-east-1 does not have: AWS and moto answer
     * InvalidParameterValue) fails alone: the hub and the other spoke are applied; only the stack
     * that references the failed spoke (the hub's acceptances) is not started.
     */
    @Test
    void aFailingSpokeDoesNotStopTheOtherSpoke(AwsApi api, @TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(api.isMoto(), "AssumeRole accounts and the fakes for moto's RAM and shared-gateway gaps");
        Map<String, String> n = copyExample(api, dir, Map.of("spoke-b.json", t -> t.replace("\"us-east-1b\"", "\"us-east-1z\"")));
        String hub = n.get("hub"), spokeA = n.get("spoke-a"), spokeB = n.get("spoke-b"), accept = n.get("hub-accept");
        Ec2Client hubEc2 = MotoAssumeRole.into(api, HUB).ec2(api, REGION);
        Ec2Client aEc2 = MotoAssumeRole.into(api, SPOKE_A).ec2(api, REGION);
        Ec2Client bEc2 = MotoAssumeRole.into(api, SPOKE_B).ec2(api, SPOKE_B_REGION);
        try (Chain chain = Chain.start(api)) {
            try {
                Cli.Result apply = Cli.run(chain.env(), "apply", "--auto-approve", dir.toString());
                assertEquals(1, apply.exit(), apply.toString());
                assertTrue(apply.out().contains("  " + spokeB + ": failed"), apply.toString());
                assertTrue(apply.err().contains("InvalidParameterValue"), "names AWS's error code: " + apply);
                assertTrue(apply.out().contains("  " + hub + ": applied"), apply.toString());
                assertTrue(apply.out().contains("  " + spokeA + ": applied"), apply.toString());
                assertTrue(apply.out().contains("  " + accept + ": not started: stack " + spokeB), apply.toString());
                assertEquals(1, aEc2.describeTransitGatewayVpcAttachments(r -> r.filters(ItSupport.stackFilter(spokeA))).transitGatewayVpcAttachments().size(),
                        "spoke A attached all the same");
                assertTrue(chain.attachments().accepted().isEmpty(), "the hub's acceptances did not start");
            } finally {
                Cli.Result destroy = Cli.run(chain.env(), "destroy", "--auto-approve", dir.toString());
                assertEquals(0, destroy.exit(), destroy.toString());
            }
            assertNothingOwned(n.values(), hubEc2, aEc2, bEc2);
        }
    }

    /** No object tagged with one of the stacks is left alive in any of the three accounts (tags re-checked: moto ignores some tag filters). */
    static void assertNothingOwned(java.util.Collection<String> stacks, Ec2Client... accounts) {
        Filter owned = Filter.builder().name("tag:" + ItSupport.STACK_TAG).values(stacks).build();
        Set<String> gone = Set.of("deleted", "deleting", "rejected", "failed");
        java.util.function.Predicate<List<software.amazon.awssdk.services.ec2.model.Tag>> ours =
                tags -> stacks.contains(ItSupport.tags(tags).get(ItSupport.STACK_TAG));
        for (Ec2Client ec2 : accounts) {
            assertEquals(List.of(), ec2.describeVpcs(r -> r.filters(owned)).vpcs().stream().filter(v -> ours.test(v.tags())).toList());
            assertEquals(List.of(), ec2.describeSubnets(r -> r.filters(owned)).subnets().stream().filter(v -> ours.test(v.tags())).toList());
            assertEquals(List.of(), ec2.describeRouteTables(r -> r.filters(owned)).routeTables().stream().filter(v -> ours.test(v.tags())).toList());
            assertEquals(List.of(), ec2.describeTransitGateways(r -> r.filters(owned)).transitGateways().stream()
                    .filter(t -> ours.test(t.tags()) && !gone.contains(t.stateAsString())).toList());
            assertEquals(List.of(), ec2.describeTransitGatewayAttachments(r -> r.filters(owned)).transitGatewayAttachments().stream()
                    .filter(t -> ours.test(t.tags()) && !gone.contains(t.stateAsString())).toList());
            assertEquals(List.of(), ec2.describeTransitGatewayRouteTables(r -> r.filters(owned)).transitGatewayRouteTables().stream()
                    .filter(t -> ours.test(t.tags()) && !gone.contains(t.stateAsString())).toList());
            assertEquals(List.of(), ec2.describeVpcPeeringConnections(r -> r.filters(owned)).vpcPeeringConnections().stream()
                    .filter(p -> ours.test(p.tags()) && !gone.contains(p.status().codeAsString())).toList());
        }
    }
}
