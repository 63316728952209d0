package io.netstack.provider.ec2.securitygroup;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Issue 11: a rule naming its own group ({@code "from": "${cluster}"} inside {@code cluster}), as
 * every cluster design has. The group is created empty, then its rules are authorized once its id
 * exists; the plan after is empty; a self rule revoked by hand is drift; destroy leaves nothing.
 */
@ExtendWith(AwsApiExtension.class)
class SelfReferencingGroupIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String extra) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.51.0.0/16" },
                "cluster": { "type": "security-group", "vpc": "${vpc}", "description": "cluster members",
                         "ingress": [ { "protocol": "all", "from": "${cluster}", "description": "members talk to each other" },
                                      { "protocol": "tcp", "ports": "443", "from": "10.0.0.0/8" } %s ],
                         "egress":  [ { "protocol": "tcp", "ports": "7000-7001", "to": "${cluster}" } ] }
              } }
            """.formatted(name, extra);
    }

    @Test
    void aGroupMayAllowItsOwnMembers(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("sgself");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, ""));
        assertEquals(0, Cli.run(api, REGION, "validate", f.toString()).exit(), "a late-bound rule may name its own group");
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        SecurityGroup g = SecurityGroupIT.owned(ec2, name).get("cluster");
        assertTrue(SecurityGroupIT.peers(g.ipPermissions()).contains(g.groupId()), "ingress from itself: " + g.ipPermissions());
        assertEquals(List.of(g.groupId()), SecurityGroupIT.peers(g.ipPermissionsEgress()), "egress to itself only: " + g.ipPermissionsEgress());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit(), "read-back maps its own id to ${cluster}");

        // in place: another self rule
        StackFiles.write(dir, "s.json", stack(name, ", { \"protocol\": \"udp\", \"ports\": \"53\", \"from\": \"${cluster}\" }"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("update", changes.get(0).get("action").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // the members rule revoked by hand: drift
        ec2.revokeSecurityGroupIngress(r -> r.groupId(g.groupId()).ipPermissions(IpPermission.builder().ipProtocol("-1")
                .userIdGroupPairs(p -> p.groupId(g.groupId()).description("members talk to each other")).build()));
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, drift.exit(), drift.toString());
        JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
        assertEquals(1, items.size(), items.toString());
        assertEquals("cluster", items.get(0).get("id").asText());
        assertTrue(items.get(0).toString().contains("${cluster}"), items.toString());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(SecurityGroupIT.owned(ec2, name).isEmpty());
    }

    @Test
    void onlyRulesMayNameTheirOwnResource(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "sgbad", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.51.0.0/16" },
                "sn":  { "type": "subnet", "vpc": "${sn}", "cidr": "10.51.1.0/24" }
              } }
            """);
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":4:") && r.err().contains("sn: vpc: a resource cannot reference itself"), r.toString());
    }
}
