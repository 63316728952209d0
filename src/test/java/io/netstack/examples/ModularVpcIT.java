package io.netstack.examples;

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
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Issue 16 against moto with stacks/modular-vpc.json (a module used with inputs): two zones
 * (a, c), a single NAT gateway and flow logs apply with the module's ids and tags; the next plan
 * is empty; adding zone b in the middle plans only creates plus the shared public route table's new
 * association (no subnet is updated or replaced); destroy leaves nothing owned.
 */
@ExtendWith(AwsApiExtension.class)
class ModularVpcIT {
    static final String REGION = "eu-west-1";
    static final String ROLE = "arn:aws:iam::123456789012:role/flow-logs";

    @Test
    void applyPlanAddZoneDestroy(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("mv");
        Path f = StackFiles.copyExample(dir, "modular-vpc.json", name);
        Path twoZones = StackFiles.write(dir, "two.json", "{\"zones\": [\"a\", \"c\"], \"natPerZone\": false, \"flowLogs\": true, \"flowLogRole\": \"" + ROLE + "\"}");
        Path threeZones = StackFiles.write(dir, "three.json", "{\"zones\": [\"a\", \"b\", \"c\"], \"natPerZone\": false, \"flowLogs\": true, \"flowLogRole\": \"" + ROLE + "\"}");
        Ec2Client ec2 = api.ec2(REGION);

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--var-file", twoZones.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        Map<String, Subnet> subnets = ItSupport.owned(ec2.describeSubnets().subnets(), Subnet::tags, name);
        assertEquals(Map.of("net-public-a", "10.30.0.0/24", "net-public-c", "10.30.2.0/24", "net-private-a", "10.30.10.0/24", "net-private-c", "10.30.12.0/24"),
                subnets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().cidrBlock())));
        assertEquals("eu-west-1c", subnets.get("net-private-c").availabilityZone());
        assertEquals(1, ItSupport.owned(ec2.describeNatGateways().natGateways().stream().filter(n -> !n.stateAsString().startsWith("delet")).toList(),
                n -> n.tags(), name).size(), "a single NAT gateway");
        assertEquals(1, ItSupport.owned(ec2.describeFlowLogs().flowLogs(), l -> l.tags(), name).size(), "flow logs on");

        Cli.Result same = Cli.run(api, REGION, "plan", f.toString(), "--var-file", twoZones.toString(), "--detailed-exitcode");
        assertEquals(0, same.exit(), same.toString());
        assertTrue(same.out().contains("No changes"), same.toString());

        Cli.Result add = Cli.run(api, REGION, "plan", f.toString(), "--var-file", threeZones.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, add.exit(), add.toString());
        Map<String, String> actions = new TreeMap<>();
        for (JsonNode c : Json.MAPPER.readTree(add.out()).get("changes")) actions.put(c.get("id").asText(), c.get("action").asText());
        assertEquals(Map.of("net-public-b", "create", "net-private-b", "create", "net-private-rt-b", "create", "net-public-rt", "update"), actions,
                "zone b in the middle: creates, and the public route table's new association; nothing replaced");

        Cli.Result text = Cli.run(api, REGION, "plan", f.toString(), "--var-file", threeZones.toString());
        assertTrue(text.out().contains("net-public-b (subnet)"), text.toString());
        assertTrue(text.out().contains("[module net, forEach key \"b\" at " + dir.resolve("modules/vpc.json")), "plan names the module and the template: " + text);

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--var-file", twoZones.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(ItSupport.owned(ec2.describeSubnets().subnets(), Subnet::tags, name).isEmpty());
        assertTrue(ItSupport.owned(ec2.describeVpcs().vpcs(), v -> v.tags(), name).isEmpty());
        assertTrue(ItSupport.owned(ec2.describeFlowLogs().flowLogs(), l -> l.tags(), name).isEmpty());
    }
}
