package io.netstack.provider.ram.resourceshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeRam;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * ram-resource-share: a transit gateway and a subnet of the stack shared with an account, through
 * {@link FakeRam} (moto's RAM ignores tag filters, returns no tags, and lacks TagResource and
 * Associate/DisassociateResourceShare; the EC2 side is moto). Create, plan zero, principals,
 * resources, options and tags changed in place, destroy.
 */
@ExtendWith(AwsApiExtension.class)
class RamResourceShareIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String resources, String principals, String extra) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.91.0.0/16" },
                "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.91.1.0/24", "zone": "eu-west-1a" },
                "tgw": { "type": "transit-gateway" },
                "share": { "type": "ram-resource-share", "resources": [%s], "principals": [%s] %s }
              },
              "outputs": { "arn": "${share.arn}" } }
            """.formatted(name, resources, principals, extra);
    }

    @Test
    void shareChangeInPlaceAndDestroy(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "FakeRam stands in for moto's RAM");
        try (FakeRam ram = FakeRam.start(api.endpoint()).pendingReads(1); Ec2Client ec2 = api.ec2(REGION)) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", ram.endpoint().toString());
            String name = api.uniqueStack("ram-share");
            Path f = StackFiles.write(dir, "s.json", stack(name, "\"${tgw}\", \"${a}\"", "\"222222222222\"", ", \"tags\": { \"team\": \"net\" }"));
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            List<FakeRam.Call> created = ram.calls("createresourceshare");
            assertEquals(1, created.size());
            JsonNode req = created.get(0).body();
            assertEquals(name + "/share", req.get("name").asText(), "named after the stack when the file names nothing");
            String tgwArn = ec2.describeTransitGateways().transitGateways().stream().filter(t -> ItSupport.owned(t.tags(), name)).findFirst().orElseThrow().transitGatewayArn();
            String subnetArn = ec2.describeSubnets().subnets().stream().filter(s -> ItSupport.owned(s.tags(), name)).findFirst().orElseThrow().subnetArn();
            assertEquals(Set.of(tgwArn, subnetArn), Set.copyOf(texts(req.get("resourceArns"))), "ids became the ARNs RAM takes: " + req);
            assertEquals(List.of("222222222222"), texts(req.get("principals")));
            assertNotNull(req.get("clientToken"), "idempotent create");
            String arn = Json.MAPPER.readTree(Cli.run(env, "output", f.toString(), "--json").out()).path("arn").asText();
            JsonNode share = ram.share(arn);
            assertNotNull(share, "output arn names the share: " + arn);
            Map<String, String> tags = new HashMap<>();
            share.get("tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value").asText()));
            assertEquals(name, tags.get("netstack:stack"));
            assertEquals("share", tags.get("netstack:id"));
            assertEquals("net", tags.get("team"));
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit(), "plans zero");

            // One update: a principal added, the subnet no longer shared, external principals off, a tag changed.
            StackFiles.write(dir, "s.json", stack(name, "\"${tgw}\"", "\"222222222222\", \"333333333333\"",
                    ", \"allowExternalPrincipals\": false, \"tags\": { \"team\": \"network\" }"));
            Cli.Result changed = Cli.run(env, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, changed.exit(), changed.toString());
            JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
            assertEquals(1, changes.size(), changed.out());
            assertEquals("update", changes.get(0).get("action").asText(), changed.out());
            Cli.Result update = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, update.exit(), update.toString());
            assertEquals(Set.of("222222222222", "333333333333"), Set.copyOf(ram.associated(arn, "PRINCIPAL")));
            assertEquals(List.of(tgwArn), ram.associated(arn, "RESOURCE"));
            assertEquals(false, ram.share(arn).get("allowExternalPrincipals").asBoolean());
            assertEquals(name + "/share", ram.share(arn).get("name").asText(), "the name survives the update");
            assertEquals(1, ram.calls("createresourceshare").size(), "in place");
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertEquals("DELETED", ram.share(arn).get("status").asText());
            assertTrue(ec2.describeTransitGateways().transitGateways().stream().noneMatch(t -> ItSupport.owned(t.tags(), name) && !"deleted".equals(t.stateAsString())));
        }
    }

    @Test
    void aPrincipalThatIsNoAccountOrgOrRoleIsAStackError(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("ram-bad");
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"${tgw}\"", "\"22222222222\"", ""));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.all().contains("s.json:") && r.all().contains("is not a 12-digit account id"), r.toString());
    }

    static List<String> texts(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        if (n != null) n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
