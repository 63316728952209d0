package io.netstack.provider.ec2.customergateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import software.amazon.awssdk.services.ec2.model.CustomerGateway;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * customer-gateway round trip against moto: create → no changes → tags in place → out-of-band
 * tag is drift → ip change replaces → destroy leaves nothing owned. (moto ignores tag filters on
 * DescribeCustomerGateways and keeps deleted gateways as "deleted": both handled client-side.)
 */
@ExtendWith(AwsApiExtension.class)
class CustomerGatewayIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String ip, String owner) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "office": { "type": "customer-gateway", "ip": "%s", "bgpAsn": 65010, "tags": { "owner": "%s" } },
                "dc": { "type": "customer-gateway", "ip": "198.51.100.20" }
              } }
            """.formatted(name, ip, owner);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("cgw");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "203.0.113.10", "net"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        Map<String, CustomerGateway> owned = owned(ec2, name);
        assertEquals(2, owned.size());
        assertEquals("203.0.113.10", owned.get("office").ipAddress());
        assertEquals("65010", owned.get("office").bgpAsn());
        assertEquals("65000", owned.get("dc").bgpAsn(), "AWS's default ASN is sent explicitly");
        assertTrue(owned.get("office").tags().contains(Tag.builder().key("Name").value(name + "/office").build()));

        Cli.Result noop = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, noop.exit(), noop.toString());

        StackFiles.write(dir, "s.json", stack(name, "203.0.113.10", "platform"));
        JsonNode tagPlan = json(Cli.run(api, REGION, "plan", f.toString(), "--json"));
        assertEquals(1, tagPlan.get("changes").size(), tagPlan.toString());
        assertEquals("update", tagPlan.get("changes").get(0).get("action").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        String officeId = owned.get("office").customerGatewayId();
        assertEquals(officeId, owned(ec2, name).get("office").customerGatewayId(), "tags change in place");
        assertTrue(owned(ec2, name).get("office").tags().contains(Tag.builder().key("owner").value("platform").build()));

        ec2.createTags(r -> r.resources(officeId).tags(Tag.builder().key("rogue").value("1").build()));
        Cli.Result drift = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(2, drift.exit(), "a tag added by hand is drift: " + drift);
        assertTrue(drift.out().contains("tags.rogue"), drift.out());

        StackFiles.write(dir, "s.json", stack(name, "203.0.113.11", "platform"));
        JsonNode replace = json(Cli.run(api, REGION, "plan", f.toString(), "--json"));
        assertEquals("replace", replace.get("changes").get(0).get("action").asText(), replace.toString());
        assertEquals("ip is create-only", replace.get("changes").get(0).get("reasons").get(0).asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        CustomerGateway office2 = owned(ec2, name).get("office");
        assertNotEquals(officeId, office2.customerGatewayId());
        assertEquals("203.0.113.11", office2.ipAddress());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty());
    }

    static JsonNode json(Cli.Result r) throws Exception {
        return Json.MAPPER.readTree(r.out());
    }

    /** Live (not deleted) gateways tagged with the stack, by logical id. */
    static Map<String, CustomerGateway> owned(Ec2Client ec2, String stack) {
        return ItSupport.owned(ec2.describeCustomerGateways().customerGateways().stream()
                .filter(g -> !"deleted".equals(g.state())).toList(), CustomerGateway::tags, stack);
    }
}
