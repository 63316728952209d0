package io.netstack.provider.ec2.internetgateway;

import static io.netstack.testing.ItSupport.applyOk;
import static io.netstack.testing.ItSupport.assertBefore;
import static io.netstack.testing.ItSupport.assertNoChanges;
import static io.netstack.testing.ItSupport.tags;
import static io.netstack.testing.ItSupport.traceEvents;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * internet-gateway round trip through the real CLI: create attached → no changes → move to another
 * VPC in place → detach by removing {@code vpc} → detached by hand is drift → attach again in place
 * → a gateway attached by hand to an owned VPC is unmanaged drift → destroy leaves nothing tagged
 * with the stack.
 */
@ExtendWith(AwsApiExtension.class)
class InternetGatewayIT {
    static final String REGION = "eu-west-1";

    /** {@code vpcLine} is the IGW's {@code vpc} member, or "" for a detached gateway. */
    static String stack(String name, String vpcLine) {
        return """
            { "stack": "%s", "region": "eu-west-1", "tags": { "team": "net" },
              "resources": {
                "blue":  { "type": "vpc", "cidr": "10.70.0.0/16" },
                "green": { "type": "vpc", "cidr": "10.71.0.0/16" },
                "igw":   { "type": "internet-gateway", %s "tags": { "role": "edge" } }
              },
              "outputs": { "igwArn": "${igw.arn}" } }
            """.formatted(name, vpcLine);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("igw");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"vpc\": \"${blue}\","));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        Map<String, String> vpcs = ownedVpcs(ec2, name);
        InternetGateway igw = owned(ec2, name).get("igw");
        assertEquals(List.of(vpcs.get("blue")), attachedVpcs(igw), "attached at creation");
        Map<String, String> tags = tags(igw.tags());
        assertEquals(Map.of("netstack:stack", name, "netstack:id", "igw", "Name", name + "/igw", "team", "net", "role", "edge"), tags,
                "ownership, Name, stack and own tags, all set at creation");
        Cli.Result out = Cli.run(api, REGION, "output", f.toString());
        assertTrue(out.out().contains(":internet-gateway/" + igw.internetGatewayId()), out.toString());

        assertNoChanges(api, REGION, f);

        // Move to another VPC: one in-place update of vpc, no replacement.
        StackFiles.write(dir, "s.json", stack(name, "\"vpc\": \"${green}\","));
        assertOneUpdate(api, f, "vpc");
        applyOk(api, REGION, f);
        InternetGateway moved = owned(ec2, name).get("igw");
        assertEquals(igw.internetGatewayId(), moved.internetGatewayId(), "the same gateway, moved in place");
        assertEquals(List.of(vpcs.get("green")), attachedVpcs(moved));
        assertNoChanges(api, REGION, f);

        // Removing vpc detaches.
        StackFiles.write(dir, "s.json", stack(name, ""));
        assertOneUpdate(api, f, "vpc");
        applyOk(api, REGION, f);
        assertEquals(List.of(), attachedVpcs(owned(ec2, name).get("igw")));
        assertNoChanges(api, REGION, f);

        // Attach after being detached; then a detach by hand is drift, and apply repairs it.
        StackFiles.write(dir, "s.json", stack(name, "\"vpc\": \"${blue}\","));
        assertOneUpdate(api, f, "vpc");
        applyOk(api, REGION, f);
        assertEquals(List.of(vpcs.get("blue")), attachedVpcs(owned(ec2, name).get("igw")));
        assertNoChanges(api, REGION, f);
        ec2.detachInternetGateway(r -> r.internetGatewayId(igw.internetGatewayId()).vpcId(vpcs.get("blue")));
        assertOneUpdate(api, f, "vpc");
        applyOk(api, REGION, f);
        assertEquals(List.of(vpcs.get("blue")), attachedVpcs(owned(ec2, name).get("igw")));

        // A gateway attached by hand to an owned VPC is unmanaged drift (and is left alone).
        String byHand = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(byHand).vpcId(vpcs.get("green")));
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, drift.exit(), drift.toString());
        JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
        assertEquals(1, items.size(), drift.out());
        assertEquals("unmanaged", items.get(0).get("class").asText());
        assertEquals(byHand, items.get(0).get("awsId").asText());
        ec2.detachInternetGateway(r -> r.internetGatewayId(byHand).vpcId(vpcs.get("green")));
        ec2.deleteInternetGateway(r -> r.internetGatewayId(byHand));

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "no internet gateway of the stack is left");
        assertTrue(ownedVpcs(ec2, name).isEmpty(), "no VPC of the stack is left");
    }

    /**
     * Replacing the VPC the gateway is attached to: the gateway is updated in place, and it is
     * detached from the old VPC before that VPC is deleted (AWS refuses DeleteVpc while a gateway
     * is attached; moto does not, so the order is read from the apply's event trace).
     */
    @Test
    void replacingItsVpcDetachesTheGatewayBeforeTheOldVpcIsDeleted(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("igw-vpc-replace");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"vpc\": \"${blue}\","));
        applyOk(api, REGION, f);
        String igwId = owned(ec2, name).get("igw").internetGatewayId();
        String oldBlue = ownedVpcs(ec2, name).get("blue");

        StackFiles.write(dir, "s.json", stack(name, "\"vpc\": \"${blue}\",").replace("10.70.0.0/16", "10.72.0.0/16"));
        Path trace = dir.resolve("trace.jsonl");
        Cli.Result r = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve", "--trace", trace.toString());
        assertEquals(0, r.exit(), r.toString());
        List<String> events = traceEvents(trace);
        assertBefore(events, "end detach igw", "start delete blue");
        assertBefore(events, "end create blue", "start update igw");

        String newBlue = ownedVpcs(ec2, name).get("blue");
        assertTrue(!newBlue.equals(oldBlue), "the VPC was replaced");
        InternetGateway igw = owned(ec2, name).get("igw");
        assertEquals(igwId, igw.internetGatewayId(), "the gateway was updated in place");
        assertEquals(List.of(newBlue), attachedVpcs(igw));
        assertNoChanges(api, REGION, f);
        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty() && ownedVpcs(ec2, name).isEmpty());
    }

    static void assertOneUpdate(AwsApi api, Path f, String path) throws Exception {
        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.toString());
        JsonNode changes = Json.MAPPER.readTree(plan.out()).get("changes");
        assertEquals(1, changes.size(), plan.out());
        assertEquals("igw", changes.get(0).get("id").asText());
        assertEquals("update", changes.get(0).get("action").asText(), plan.out());
        assertEquals(1, changes.get(0).get("diff").size(), plan.out());
        assertEquals(path, changes.get(0).get("diff").get(0).get("path").asText());
    }

    static List<String> attachedVpcs(InternetGateway g) {
        return g.attachments().stream().filter(a -> !"detached".equals(a.stateAsString())).map(InternetGatewayAttachment::vpcId).toList();
    }

    /** The stack's gateways by logical id; tags checked here, not by a server-side filter. */
    static Map<String, InternetGateway> owned(Ec2Client ec2, String stack) {
        return ItSupport.owned(ec2.describeInternetGateways().internetGateways(), InternetGateway::tags, stack);
    }

    static Map<String, String> ownedVpcs(Ec2Client ec2, String stack) {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        ItSupport.owned(ec2.describeVpcs().vpcs(), Vpc::tags, stack).forEach((id, v) -> ids.put(id, v.vpcId()));
        return ids;
    }
}
