package io.netstack.drift;

import static io.netstack.testing.ItSupport.driftItems;
import static io.netstack.testing.ItSupport.idFilter;
import static io.netstack.testing.ItSupport.stackFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;

/**
 * Issue 5's Done-when 1 and 2 with stacks/three-tier.json: five changes made by hand are each
 * reported exactly once with the right class, nothing else; apply puts back the first four and
 * leaves the untagged subnet, which drift still reports.
 */
@ExtendWith(AwsApiExtension.class)
class DriftIT {
    static final String REGION = "eu-west-1";

    @Test
    void handMadeChangesAreReportedOnceEach(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("drift");
        Path f = StackFiles.copyExample(dir, "three-tier.json", name);
        Ec2Client ec2 = api.ec2(REGION);
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());

        Cli.Result clean = Cli.run(api, REGION, "drift", f.toString());
        assertEquals(0, clean.exit(), clean.toString());
        assertTrue(clean.out().contains("No drift"), clean.toString());

        String vpc = id(ec2, name, "net-vpc", "vpc");
        String web = ec2.describeSecurityGroups(r -> r.filters(stackFilter(name), idFilter("web"))).securityGroups().get(0).groupId();
        String publicRt = ec2.describeRouteTables(r -> r.filters(stackFilter(name), idFilter("net-public-rt"))).routeTables().get(0).routeTableId();
        String publicB = ec2.describeSubnets(r -> r.filters(stackFilter(name), idFilter("net-public-b"))).subnets().get(0).subnetId();
        String natA = ec2.describeNatGateways(r -> r.filter(stackFilter(name), idFilter("net-nat-a"))).natGateways().stream()
                .filter(n -> n.tags().stream().anyMatch(t -> t.key().equals("netstack:id") && t.value().equals("net-nat-a")))
                .filter(n -> !n.stateAsString().startsWith("delet")).findFirst().orElseThrow().natGatewayId();

        ec2.authorizeSecurityGroupIngress(r -> r.groupId(web).ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(x -> x.cidrIp("0.0.0.0/0")).build()));
        ec2.deleteRoute(r -> r.routeTableId(publicRt).destinationIpv6CidrBlock("::/0"));
        ec2.modifySubnetAttribute(r -> r.subnetId(publicB).mapPublicIpOnLaunch(b -> b.value(false)));
        ec2.deleteNatGateway(r -> r.natGatewayId(natA));
        String stray = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.99.0/24")).subnet().subnetId();

        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, drift.exit(), drift.toString());
        JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
        List<String> seen = driftItems(drift);
        assertEquals(5, seen.size(), "exactly the five hand-made changes: " + seen);
        assertTrue(seen.contains("unmanaged web ingress"), seen.toString());
        assertTrue(seen.contains("modified net-public-rt routes"), seen.toString());
        assertTrue(seen.contains("modified net-public-b mapPublicIp"), seen.toString());
        assertTrue(seen.contains("deleted net-nat-a -"), seen.toString());
        JsonNode strayItem = find(items, "unmanaged", null);
        assertEquals(stray, strayItem.get("awsId").asText());
        assertNull(find(items, "unmanaged", "web").get("expected").textValue());
        assertEquals("::/0", find(items, "modified", "net-public-rt").get("expected").get("destination").asText());

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        Cli.Result after = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, after.exit(), after.toString());
        JsonNode left = Json.MAPPER.readTree(after.out()).get("drift");
        assertEquals(1, left.size(), "only the untagged subnet is left: " + left);
        assertEquals(stray, left.get(0).get("awsId").asText());
        assertEquals(1, ec2.describeSubnets(r -> r.subnetIds(stray)).subnets().size(), "unmanaged objects are never deleted");

        ec2.deleteSubnet(r -> r.subnetId(stray));
        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
    }

    /**
     * drift takes --var and --var-file as plan and apply do: a variable without a default gets its
     * value from either (drift used to load the file without values first, and stopped at exit 3).
     */
    @Test
    void variablesComeFromVarAndVarFile(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("driftvars");
        Path f = StackFiles.write(dir, "vars.json", """
                {"stack": "%s", "region": "%s", "variables": {"env": {}},
                 "resources": {"vpc": {"type": "vpc", "cidr": "10.61.0.0/16", "tags": {"env": "${var.env}"}}}}
                """.formatted(name, REGION));
        Path prod = StackFiles.write(dir, "prod.json", "{\"env\": \"prod\"}");
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--var-file", prod.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        try {
            Cli.Result same = Cli.run(api, REGION, "drift", f.toString(), "--var-file", prod.toString());
            assertEquals(0, same.exit(), same.toString());
            assertTrue(same.out().contains("No drift"), same.toString());

            Cli.Result other = Cli.run(api, REGION, "drift", f.toString(), "--var-file", prod.toString(), "--var", "env=test", "--json");
            assertEquals(2, other.exit(), other.toString());
            List<String> seen = driftItems(other);
            assertEquals(1, seen.size(), seen.toString());
            assertTrue(seen.get(0).startsWith("modified vpc tags"), seen.toString());
        } finally {
            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--var-file", prod.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
        }
    }

    private static JsonNode find(JsonNode items, String cls, String id) {
        for (JsonNode i : items) {
            if (i.get("class").asText().equals(cls) && (id == null ? i.get("id").isNull() : id.equals(i.get("id").asText()))) return i;
        }
        throw new AssertionError("no " + cls + " item for " + id + " in " + items);
    }



    private static String id(Ec2Client ec2, String stack, String logical, String kind) {
        return ec2.describeVpcs(r -> r.filters(stackFilter(stack), idFilter(logical))).vpcs().get(0).vpcId();
    }
}
