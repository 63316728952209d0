package io.netstack.provider.ec2.subnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.stack.Cidr;
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
import software.amazon.awssdk.services.ec2.model.Subnet;

/** subnet round trip: IPv6 /64 by index, map-public-ip in place, CIDR change as a replacement. */
@ExtendWith(AwsApiExtension.class)
class SubnetIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, boolean mapPublic, String cidrB) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.60.0.0/16", "ipv6": true },
                "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.60.0.0/24", "zone": "eu-west-1a",
                       "ipv6Index": 5, "assignIpv6OnCreation": true, "mapPublicIp": %s },
                "b": { "type": "subnet", "vpc": "${vpc}", "cidr": "%s", "zone": "eu-west-1b", "tags": { "tier": "app" } }
              } }
            """.formatted(name, mapPublic, cidrB);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("subnet");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, false, "10.60.1.0/24"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        Map<String, Subnet> subnets = owned(ec2, name);
        Subnet a = subnets.get("a");
        assertEquals("eu-west-1a", a.availabilityZone());
        String v6 = a.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock();
        String vpc6 = ec2.describeVpcs(r -> r.vpcIds(a.vpcId())).vpcs().get(0).ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock();
        assertEquals(Cidr.parse(vpc6).subnet(64, 5).toString(), Cidr.canonical(v6), "the 5th /64 of the VPC's /56");
        assertTrue(a.assignIpv6AddressOnCreation());

        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        StackFiles.write(dir, "s.json", stack(name, true, "10.60.1.0/24"));
        Cli.Result flip = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, flip.exit());
        JsonNode changes = Json.MAPPER.readTree(flip.out()).get("changes");
        assertEquals(1, changes.size(), flip.out());
        assertEquals("update", changes.get(0).get("action").asText());
        assertEquals("mapPublicIp", changes.get(0).get("diff").get(0).get("path").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertTrue(owned(ec2, name).get("a").mapPublicIpOnLaunch());

        StackFiles.write(dir, "s.json", stack(name, true, "10.60.2.0/24"));
        Cli.Result replace = Cli.run(api, REGION, "plan", f.toString(), "--json");
        JsonNode rc = Json.MAPPER.readTree(replace.out()).get("changes");
        assertEquals(1, rc.size(), replace.out());
        assertEquals("replace", rc.get(0).get("action").asText());
        assertEquals("cidr is create-only", rc.get(0).get("reasons").get(0).asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        Subnet b2 = owned(ec2, name).get("b");
        assertEquals("10.60.2.0/24", b2.cidrBlock());
        assertNotEquals(subnets.get("b").subnetId(), b2.subnetId());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
        assertTrue(owned(ec2, name).isEmpty());
    }

    static Map<String, Subnet> owned(Ec2Client ec2, String stack) {
        return ItSupport.owned(ec2.describeSubnets().subnets(), Subnet::tags, stack);
    }
}
