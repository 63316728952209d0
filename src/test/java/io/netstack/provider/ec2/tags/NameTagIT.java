package io.netstack.provider.ec2.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Issue 11: a user's {@code Name} tag (consoles, runbooks and cost reports key on it) is set at
 * creation, changed in place, reverted to {@code <stack>/<id>} when removed from the file, and a
 * Name changed by hand is drift. Ownership stays in the netstack:* tags.
 */
@ExtendWith(AwsApiExtension.class)
class NameTagIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String vpcTags) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.60.0.0/16", "tags": { %s } },
                "app": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.60.1.0/24" }
              } }
            """.formatted(name, vpcTags);
    }

    @Test
    void nameIsTheUsersToSet(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("name");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"Name\": \"prod-vpc\", \"team\": \"net\""));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertEquals(Map.of("netstack:stack", name, "netstack:id", "vpc", "Name", "prod-vpc", "team", "net"), tags(ec2, name, "vpc"),
                "the user's Name at creation, ownership beside it");
        assertEquals(name + "/app", tags(ec2, name, "app").get("Name"), "no Name given: <stack>/<id>");
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit(), "read-back equals the file");

        StackFiles.write(dir, "s.json", stack(name, "\"Name\": \"prod-vpc-2\", \"team\": \"net\""));
        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.toString());
        JsonNode changes = Json.MAPPER.readTree(plan.out()).get("changes");
        assertEquals(1, changes.size(), plan.out());
        assertEquals("update", changes.get(0).get("action").asText());
        assertEquals(List.of("tags.Name"), changes.get(0).get("diff").findValuesAsText("path"));
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals("prod-vpc-2", tags(ec2, name, "vpc").get("Name"));

        // removed from the file: back to the default, not deleted
        StackFiles.write(dir, "s.json", stack(name, "\"team\": \"net\""));
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(name + "/vpc", tags(ec2, name, "vpc").get("Name"));
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // renamed by hand in the console: drift, and apply puts it back
        String subnet = ec2.describeSubnets(r -> r.filters(owned(name), id("app"))).subnets().get(0).subnetId();
        ec2.createTags(r -> r.resources(subnet).tags(Tag.builder().key("Name").value("renamed").build()));
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, drift.exit(), drift.toString());
        JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
        assertEquals(1, items.size(), items.toString());
        assertEquals("modified app tags.Name", items.get(0).get("class").asText() + " " + items.get(0).get("id").asText() + " " + items.get(0).get("path").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(name + "/app", tags(ec2, name, "app").get("Name"));

        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
        assertTrue(ec2.describeVpcs(r -> r.filters(owned(name))).vpcs().isEmpty());
    }

    private static Map<String, String> tags(Ec2Client ec2, String stack, String logical) {
        List<Tag> t = logical.equals("vpc")
                ? ec2.describeVpcs(r -> r.filters(owned(stack), id(logical))).vpcs().get(0).tags()
                : ec2.describeSubnets(r -> r.filters(owned(stack), id(logical))).subnets().get(0).tags();
        return t.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private static Filter owned(String stack) {
        return Filter.builder().name("tag:netstack:stack").values(stack).build();
    }

    private static Filter id(String logical) {
        return Filter.builder().name("tag:netstack:id").values(logical).build();
    }
}
