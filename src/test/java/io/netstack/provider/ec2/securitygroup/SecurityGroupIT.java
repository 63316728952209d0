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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * security-group round trip: groups that reference each other, IPv4/IPv6/SG/prefix-list peers,
 * no-change plan, in-place rule changes, a rule added by hand shows up and is removed by apply.
 */
@ExtendWith(AwsApiExtension.class)
class SecurityGroupIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String extraWebRule) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.50.0.0/16" },
                "web": { "type": "security-group", "vpc": "${vpc}", "description": "web",
                         "ingress": [ { "protocol": "tcp", "ports": "443", "from": "0.0.0.0/0", "description": "https" },
                                      { "protocol": "tcp", "ports": "443", "from": "::/0" } %s ] },
                "app": { "type": "security-group", "vpc": "${vpc}", "description": "app",
                         "ingress": [ { "protocol": "tcp", "ports": "8080", "from": "${web}" },
                                      { "protocol": "tcp", "ports": "9000-9100", "from": "${db}" } ],
                         "egress":  [ { "protocol": "all", "to": "0.0.0.0/0" } ] },
                "db":  { "type": "security-group", "vpc": "${vpc}", "description": "db",
                         "ingress": [ { "protocol": "tcp", "ports": "5432", "from": "${app}" },
                                      { "protocol": "icmp", "ports": "8", "from": "10.0.0.0/8" } ],
                         "egress":  [ { "protocol": "tcp", "ports": "1024-65535", "to": "${app}" } ] }
              } }
            """.formatted(name, extraWebRule);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("sg");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, ""));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        Map<String, SecurityGroup> groups = owned(ec2, name);
        assertEquals(3, groups.size());
        SecurityGroup app = groups.get("app"), db = groups.get("db"), web = groups.get("web");
        assertEquals(name + "-app", app.groupName(), "default name is <stack>-<id>");
        assertTrue(peers(app.ipPermissions()).contains(web.groupId()));
        assertTrue(peers(app.ipPermissions()).contains(db.groupId()));
        assertTrue(peers(db.ipPermissions()).contains(app.groupId()), "mutual references are both in place");
        assertEquals(1, db.ipPermissionsEgress().size(), "egress given explicitly replaces AWS's default allow-all");
        assertEquals(List.of("0.0.0.0/0"), web.ipPermissionsEgress().get(0).ipRanges().stream().map(r -> r.cidrIp()).toList(),
                "egress omitted keeps AWS's default allow-all");

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());

        // In place: one more rule on web.
        StackFiles.write(dir, "s.json", stack(name, ", { \"protocol\": \"tcp\", \"ports\": \"80\", \"from\": \"0.0.0.0/0\" }"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("web", changes.get(0).get("id").asText());
        assertEquals("update", changes.get(0).get("action").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(web.groupId(), owned(ec2, name).get("web").groupId(), "in place");
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // A rule added by hand is seen, and apply removes it (rules are the group's declared set).
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(db.groupId()).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(x -> x.cidrIp("0.0.0.0/0")).build()));
        Cli.Result drift = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(2, drift.exit(), drift.toString());
        assertTrue(drift.out().contains("ingress - {\"from\":\"0.0.0.0/0\",\"ports\":\"22\",\"protocol\":\"tcp\"}"), drift.toString());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertTrue(owned(ec2, name).get("db").ipPermissions().stream().noneMatch(p -> Integer.valueOf(22).equals(p.fromPort())));

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty());
    }

    static List<String> peers(List<IpPermission> perms) {
        return perms.stream().flatMap(p -> p.userIdGroupPairs().stream()).map(g -> g.groupId()).toList();
    }

    static Map<String, SecurityGroup> owned(Ec2Client ec2, String stack) {
        return ec2.describeSecurityGroups().securityGroups().stream()
                .filter(g -> g.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack)))
                .collect(Collectors.toMap(g -> g.tags().stream().filter(t -> t.key().equals("netstack:id")).findFirst().orElseThrow().value(), g -> g));
    }
}
