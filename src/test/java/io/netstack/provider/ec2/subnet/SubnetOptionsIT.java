package io.netstack.provider.ec2.subnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Issue 11, subnet options: zone id, IPv6-only, DNS64, hostname type, resource-name A/AAAA records
 * — create, read-back (plan zero), in-place change, drift, destroy. Runs through
 * {@link MotoSubnetOptionsProxy}: moto ignores DNS64, the hostname type and the AAAA option
 * (answers 200, changes nothing); zone ids, IPv6-only and the A-record option are moto's own.
 */
@ExtendWith(AwsApiExtension.class)
class SubnetOptionsIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, boolean dns64, boolean aRecord) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.61.0.0/16", "ipv6": true },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.61.1.0/24", "zoneId": "euw1-az1", "ipv6Index": 1,
                         "assignIpv6OnCreation": true, "dns64": %s, "hostnameType": "resource-name",
                         "resourceNameDnsA": %s, "resourceNameDnsAaaa": true },
                "v6":  { "type": "subnet", "vpc": "${vpc}", "zone": "eu-west-1a", "ipv6Native": true, "ipv6Index": 2,
                         "assignIpv6OnCreation": true, "hostnameType": "resource-name", "dns64": true, "resourceNameDnsAaaa": true }
              } }
            """.formatted(name, dns64, aRecord);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("snopt");
        try (MotoSubnetOptionsProxy proxy = new MotoSubnetOptionsProxy(api.endpoint()); Ec2Client ec2 = proxy.client(REGION)) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            Path f = StackFiles.write(dir, "s.json", stack(name, true, true));
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            Subnet a = subnet(ec2, name, "a"), v6 = subnet(ec2, name, "v6");
            assertEquals("euw1-az1", a.availabilityZoneId());
            assertTrue(a.enableDns64());
            assertEquals("resource-name", a.privateDnsNameOptionsOnLaunch().hostnameTypeAsString());
            assertTrue(a.privateDnsNameOptionsOnLaunch().enableResourceNameDnsARecord(), "moto's own attribute");
            assertTrue(a.privateDnsNameOptionsOnLaunch().enableResourceNameDnsAAAARecord());
            assertTrue(v6.ipv6Native());
            assertNull(v6.cidrBlock(), "an IPv6-only subnet has no IPv4 block");
            assertFalse(v6.ipv6CidrBlockAssociationSet().isEmpty());
            assertTrue(proxy.covered.contains("enableDns64=true"), "sent to AWS: " + proxy.covered);

            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit(), "read-back equals the file");

            StackFiles.write(dir, "s.json", stack(name, false, false));
            Cli.Result changed = Cli.run(env, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, changed.exit(), changed.toString());
            JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
            assertEquals(1, changes.size(), changed.out());
            assertEquals("a update", changes.get(0).get("id").asText() + " " + changes.get(0).get("action").asText());
            assertEquals(List.of("dns64", "resourceNameDnsA"), changes.get(0).get("diff").findValuesAsText("path").stream().sorted().toList());
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            Subnet after = subnet(ec2, name, "a");
            assertEquals(a.subnetId(), after.subnetId(), "in place");
            assertFalse(after.enableDns64());
            assertFalse(after.privateDnsNameOptionsOnLaunch().enableResourceNameDnsARecord());

            ec2.modifySubnetAttribute(r -> r.subnetId(a.subnetId()).privateDnsHostnameTypeOnLaunch("ip-name"));
            Cli.Result drift = Cli.run(env, "drift", f.toString(), "--json");
            assertEquals(2, drift.exit(), drift.toString());
            JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
            assertEquals(1, items.size(), items.toString());
            assertEquals("modified a hostnameType", items.get(0).get("class").asText() + " " + items.get(0).get("id").asText() + " " + items.get(0).get("path").asText());

            assertEquals(0, Cli.run(env, "destroy", f.toString(), "--auto-approve").exit());
            assertTrue(ec2.describeSubnets(r -> r.filters(owned(name))).subnets().isEmpty());
        }
    }

    @Test
    void aZoneIdInZoneIsNamedAsSuch(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "snbad", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.61.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.61.1.0/24", "zone": "euw1-az1" },
                "b":   { "type": "subnet", "vpc": "${vpc}", "ipv6Native": true, "ipv6Index": 1 }
              } }
            """);
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":4:81: a: \"euw1-az1\" is an availability zone id: write \"zoneId\": \"euw1-az1\""), r.toString());
        assertTrue(r.err().contains(f + ":5:") && r.err().contains("b: an IPv6-only subnet needs \"ipv6\": true on vpc"), r.toString());
        assertTrue(r.err().contains("b: an IPv6-only subnet needs \"assignIpv6OnCreation\": true"), r.toString());
    }

    static Subnet subnet(Ec2Client ec2, String stack, String id) {
        return ec2.describeSubnets(r -> r.filters(owned(stack), Filter.builder().name("tag:netstack:id").values(id).build())).subnets().get(0);
    }

    static Filter owned(String stack) {
        return Filter.builder().name("tag:netstack:stack").values(stack).build();
    }
}
