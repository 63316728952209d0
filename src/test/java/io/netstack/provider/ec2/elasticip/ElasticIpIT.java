package io.netstack.provider.ec2.elasticip;

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
import software.amazon.awssdk.services.ec2.model.Address;

/**
 * elastic-ip round trip through the real CLI: allocate → attributes as outputs → no changes →
 * tag change in place → destroy releases it, nothing tagged with the stack left.
 */
@ExtendWith(AwsApiExtension.class)
class ElasticIpIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String purpose) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "ip": { "type": "elastic-ip", "tags": { "purpose": "%s" } }
              },
              "outputs": { "ip": "${ip.publicIp}", "alloc": "${ip.allocationId}", "id": "${ip}" } }
            """.formatted(name, purpose);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("eip");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "egress"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        Address a = owned(ec2, name).get("ip");
        assertEquals("vpc", a.domainAsString());
        assertEquals(Map.of("netstack:stack", name, "netstack:id", "ip", "Name", name + "/ip", "purpose", "egress"), tags(a.tags()));
        Cli.Result out = Cli.run(api, REGION, "output", f.toString(), "--json");
        assertEquals(0, out.exit(), out.toString());
        JsonNode outputs = Json.MAPPER.readTree(out.out());
        assertEquals(a.publicIp(), outputs.findValue("ip").asText(), out.out());
        assertEquals(a.allocationId(), outputs.findValue("alloc").asText(), out.out());
        assertEquals(a.allocationId(), outputs.findValue("id").asText(), "the AWS id of an elastic-ip is its allocation id");

        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        StackFiles.write(dir, "s.json", stack(name, "nat"));
        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.toString());
        JsonNode changes = Json.MAPPER.readTree(plan.out()).get("changes");
        assertEquals(1, changes.size(), plan.out());
        assertEquals("update", changes.get(0).get("action").asText(), plan.out());
        assertEquals("tags.purpose", changes.get(0).get("diff").get(0).get("path").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        Address after = owned(ec2, name).get("ip");
        assertEquals(a.allocationId(), after.allocationId(), "the same address: tags change in place");
        assertEquals("nat", tags(after.tags()).get("purpose"));
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "the address is released");
    }

    /** The stack's addresses by logical id; tags checked client-side. */
    static Map<String, Address> owned(Ec2Client ec2, String stack) {
        return ItSupport.owned(ec2.describeAddresses().addresses(), Address::tags, stack);
    }

}
