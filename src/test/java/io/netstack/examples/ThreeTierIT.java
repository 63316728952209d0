package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Issue 2's Done-when against moto with stacks/three-tier.json: apply creates every resource
 * with the ownership tags; the next plan has no changes; flipping mapPublicIp is exactly one
 * update; a subnet CIDR change (made in the VPC module the file uses) is a replacement naming cidr,
 * with its dependents; destroy leaves nothing tagged and does not touch a VPC made by hand.
 */
@ExtendWith(AwsApiExtension.class)
class ThreeTierIT {
    static final String REGION = "eu-west-1";

    @Test
    void applyPlanChangeDestroy(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("tt");
        Path f = StackFiles.copyExample(dir, "three-tier.json", name);
        Ec2Client ec2 = api.ec2(REGION);
        String handMade = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertTrue(apply.out().contains("Apply complete"), apply.toString());
        assertTrue(apply.out().contains("natIpA = "), "outputs printed: " + apply);

        Map<String, Integer> counts = owned(ec2, name);
        assertEquals(Map.of("vpc", 1, "subnet", 6, "internet-gateway", 1, "egress-only-internet-gateway", 1, "elastic-ip", 2,
                "nat-gateway", 2, "route-table", 4, "security-group", 3, "network-acl", 1), counts, "every resource, tagged");

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());
        assertTrue(plan.out().contains("No changes"), plan.toString());

        // one db subnet made public: one update (the template's "if" leaves db-subnet-b as it is)
        String text = Files.readString(f);
        String dbCidr = "\"cidr\": \"${cidrsubnet(local.cidr, 8, 20 + zoneindex(each.key))}\" }";
        assertTrue(text.contains(dbCidr), "the db subnets' template");
        Files.writeString(f, text.replace(dbCidr, dbCidr.replace(" }", ", \"mapPublicIp\": { \"if\": \"${each.key == 'a'}\", \"then\": true } }")));
        JsonNode flip = planJson(api, f);
        assertEquals(1, flip.size(), flip.toString());
        assertEquals("db-subnet-a", flip.get(0).get("id").asText());
        assertEquals("update", flip.get(0).get("action").asText());
        assertEquals(List.of("mapPublicIp"), flip.get(0).get("diff").findValuesAsText("path"));
        Files.writeString(f, text);

        // zone a's public subnet renumbered in the module: a replacement naming cidr, with its dependents
        Path module = dir.resolve("modules/vpc.json");
        String moduleText = Files.readString(module);
        String numbered = "\"cidr\": \"${cidrsubnet(var.cidr, 8, zoneindex(each.key))}\"";
        assertTrue(moduleText.contains(numbered), "the module numbers public subnets by zone letter");
        Files.writeString(module, moduleText.replace(numbered, "\"cidr\": \"${cidrsubnet(var.cidr, 8, each.key == 'a' ? 2 : zoneindex(each.key))}\""));
        JsonNode cidr = planJson(api, f);
        Map<String, JsonNode> byId = new TreeMap<>();
        cidr.forEach(c -> byId.put(c.get("id").asText(), c));
        assertEquals("replace", byId.get("net-public-a").get("action").asText(), cidr.toString());
        assertEquals("cidr is create-only", byId.get("net-public-a").get("reasons").get(0).asText());
        assertEquals("replace", byId.get("net-nat-a").get("action").asText(), "the NAT gateway lives in the subnet: " + cidr);
        assertTrue(byId.get("net-nat-a").get("reasons").toString().contains("subnet references net-public-a, which is replaced"), cidr.toString());
        assertEquals("update", byId.get("net-public-rt").get("action").asText(), "its route table association follows: " + cidr);
        assertEquals("update", byId.get("net-private-rt-a").get("action").asText(), "the route to the new NAT gateway follows: " + cidr);
        assertEquals(4, cidr.size(), "nothing else changes: " + byId.keySet());
        assertEquals("net", byId.get("net-public-a").path("origin").path("module").asText(), "each change names its module: " + cidr);
        Files.writeString(module, moduleText);

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "nothing owned left: " + owned(ec2, name));
        assertEquals(1, ec2.describeVpcs(r -> r.vpcIds(handMade)).vpcs().size(), "the hand-made VPC is untouched");
        ec2.deleteVpc(r -> r.vpcId(handMade));
    }

    static JsonNode planJson(AwsApi api, Path f) throws Exception {
        Cli.Result r = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, r.exit(), r.toString());
        return Json.MAPPER.readTree(r.out()).get("changes");
    }

    /** Objects tagged with the stack, per netstack type (from the netstack:id tag's resource kind). */
    static Map<String, Integer> owned(Ec2Client ec2, String stack) {
        Map<String, Integer> out = new HashMap<>();
        java.util.function.BiConsumer<String, List<Tag>> count = (type, tags) -> {
            if (tags != null && tags.stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack))) {
                assertTrue(tags.stream().anyMatch(t -> t.key().equals("netstack:id")), type + " without netstack:id");
                assertTrue(tags.stream().anyMatch(t -> t.key().equals("Name") && t.value().startsWith(stack + "/")), type + " without Name");
                out.merge(type, 1, Integer::sum);
            }
        };
        ec2.describeVpcs().vpcs().forEach(v -> count.accept("vpc", v.tags()));
        ec2.describeSubnets().subnets().forEach(s -> count.accept("subnet", s.tags()));
        ec2.describeInternetGateways().internetGateways().forEach(g -> count.accept("internet-gateway", g.tags()));
        ec2.describeEgressOnlyInternetGateways().egressOnlyInternetGateways().forEach(g -> count.accept("egress-only-internet-gateway", g.tags()));
        ec2.describeAddresses().addresses().forEach(a -> count.accept("elastic-ip", a.tags()));
        ec2.describeNatGateways().natGateways().stream().filter(n -> !n.stateAsString().startsWith("delet"))
                .forEach(n -> count.accept("nat-gateway", n.tags()));
        ec2.describeRouteTables().routeTables().forEach(t -> count.accept("route-table", t.tags()));
        ec2.describeSecurityGroups().securityGroups().forEach(g -> count.accept("security-group", g.tags()));
        ec2.describeNetworkAcls().networkAcls().forEach(a -> count.accept("network-acl", a.tags()));
        return out;
    }
}
