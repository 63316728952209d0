package io.netstack.provider.ec2.egressonlyinternetgateway;

import static io.netstack.testing.ItSupport.hasTag;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.EgressOnlyInternetGateway;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * egress-only-internet-gateway round trip through the real CLI: create → no changes → tag change
 * in place → a tag added by hand is drift → a gateway made by hand in the VPC is unmanaged drift →
 * destroy leaves nothing tagged with the stack.
 * moto ignores tag filters on DescribeEgressOnlyInternetGateways, so a gateway of another stack
 * (made here on purpose, in the same VPC region) must not show up in this stack's plan.
 */
@ExtendWith(AwsApiExtension.class)
class EgressOnlyInternetGatewayIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String tier) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc":  { "type": "vpc", "cidr": "10.72.0.0/16", "ipv6": true },
                "eigw": { "type": "egress-only-internet-gateway", "vpc": "${vpc}", "tags": { "tier": "%s" } }
              } }
            """.formatted(name, tier);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("eigw");
        String neighbour = api.uniqueStack("eigw-other");
        Ec2Client ec2 = api.ec2(REGION);
        Path other = StackFiles.write(dir, "other.json", stack(neighbour, "x"));
        Path f = StackFiles.write(dir, "s.json", stack(name, "app"));
        try {
            assertEquals(0, Cli.run(api, REGION, "apply", other.toString(), "--auto-approve").exit());
            Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            EgressOnlyInternetGateway g = owned(ec2, name).get("eigw");
            String vpcId = ec2.describeVpcs().vpcs().stream().filter(v -> hasTag(v.tags(), "netstack:stack", name)).findFirst().orElseThrow().vpcId();
            assertEquals(vpcId, g.attachments().get(0).vpcId());
            assertEquals("attached", g.attachments().get(0).stateAsString());
            assertEquals(Map.of("netstack:stack", name, "netstack:id", "eigw", "Name", name + "/eigw", "tier", "app"), tags(g.tags()),
                    "one TagSpecification at creation carries every tag");

            Cli.Result noop = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, noop.exit(), noop.toString());
            assertTrue(noop.out().contains(": 2 resources"), "the other stack's gateway is not this stack's: " + noop.out());

            StackFiles.write(dir, "s.json", stack(name, "web"));
            assertOneTagUpdate(api, f, "tags.tier");
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            EgressOnlyInternetGateway after = owned(ec2, name).get("eigw");
            assertEquals(g.egressOnlyInternetGatewayId(), after.egressOnlyInternetGatewayId(), "updated in place");
            assertEquals("web", tags(after.tags()).get("tier"));
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            ec2.createTags(r -> r.resources(g.egressOnlyInternetGatewayId()).tags(Tag.builder().key("owner").value("someone").build()));
            assertOneTagUpdate(api, f, "tags.owner");
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            assertEquals(null, tags(owned(ec2, name).get("eigw").tags()).get("owner"), "the tag added by hand is removed");

            // A gateway made by hand in the stack's VPC is unmanaged drift; the neighbour's is not ours to report.
            String byHand = ec2.createEgressOnlyInternetGateway(r -> r.vpcId(vpcId)).egressOnlyInternetGateway().egressOnlyInternetGatewayId();
            Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
            assertEquals(2, drift.exit(), drift.toString());
            JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
            assertEquals(1, items.size(), drift.out());
            assertEquals("unmanaged", items.get(0).get("class").asText());
            assertEquals(byHand, items.get(0).get("awsId").asText());
            ec2.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(byHand));

            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(owned(ec2, name).isEmpty(), "no egress-only gateway of the stack is left");
            assertTrue(ec2.describeVpcs().vpcs().stream().noneMatch(v -> hasTag(v.tags(), "netstack:stack", name)), "no VPC of the stack is left");
            assertEquals(1, owned(ec2, neighbour).size(), "the other stack's gateway is untouched");
        } finally {
            Cli.run(api, REGION, "destroy", other.toString(), "--auto-approve");
        }
        assertTrue(owned(ec2, neighbour).isEmpty());
    }

    static void assertOneTagUpdate(AwsApi api, Path f, String path) throws Exception {
        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.toString());
        JsonNode changes = Json.MAPPER.readTree(plan.out()).get("changes");
        assertEquals(1, changes.size(), plan.out());
        assertEquals("eigw", changes.get(0).get("id").asText());
        assertEquals("update", changes.get(0).get("action").asText(), plan.out());
        assertEquals(path, changes.get(0).get("diff").get(0).get("path").asText(), plan.out());
    }

    /** The stack's gateways by logical id, tags checked client-side (moto ignores the filter). */
    static Map<String, EgressOnlyInternetGateway> owned(Ec2Client ec2, String stack) {
        return ItSupport.owned(ec2.describeEgressOnlyInternetGateways().egressOnlyInternetGateways(), EgressOnlyInternetGateway::tags, stack);
    }

}
