package io.netstack.provider.ec2.vpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

/** vpc round trip against a real AWS API: create → no-change plan → in-place update → destroy. */
@ExtendWith(AwsApiExtension.class)
class VpcIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, boolean hostnames, String secondary, String tagValue, String sshFrom) {
        return """
            { "stack": "%s", "region": "eu-west-1", "tags": { "team": "%s" },
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.30.0.0/16", "ipv6": true, "dnsHostnames": %s,
                         "secondaryCidrs": [%s],
                         "defaultSecurityGroup": { "ingress": [ { "protocol": "tcp", "ports": "22", "from": "%s" } ] } }
              },
              "outputs": { "id": "${vpc}", "v6": "${vpc.ipv6Cidr}" } }
            """.formatted(name, tagValue, hostnames, secondary, sshFrom);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("vpc");
        Ec2Client ec2 = api.ec2(REGION);
        Vpc handMade = ec2.createVpc(r -> r.cidrBlock("10.99.0.0/16")).vpc();

        Path f = StackFiles.write(dir, "s.json", stack(name, true, "\"10.31.0.0/16\"", "a", "10.0.0.0/8"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertTrue(apply.out().contains("created vpc (vpc)"), apply.toString());

        Vpc vpc = owned(ec2, name).get(0);
        Map<String, String> tags = vpc.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals(name, tags.get("netstack:stack"));
        assertEquals("vpc", tags.get("netstack:id"));
        assertEquals(name + "/vpc", tags.get("Name"));
        assertEquals("a", tags.get("team"));
        assertEquals("10.30.0.0/16", vpc.cidrBlock());
        assertTrue(vpc.cidrBlockAssociationSet().stream().anyMatch(a -> a.cidrBlock().equals("10.31.0.0/16")));
        assertFalse(vpc.ipv6CidrBlockAssociationSet().isEmpty(), "Amazon IPv6 block associated");
        assertTrue(ec2.describeVpcAttribute(r -> r.vpcId(vpc.vpcId()).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES)).enableDnsHostnames().value());
        SecurityGroup dsg = defaultGroup(ec2, vpc.vpcId());
        assertEquals(1, dsg.ipPermissions().size());
        assertEquals(22, dsg.ipPermissions().get(0).fromPort());
        assertTrue(dsg.ipPermissionsEgress().isEmpty(), "defaultSecurityGroup without egress removes AWS's allow-all");
        assertTrue(apply.out().contains("id = " + vpc.vpcId()), apply.toString());

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());
        assertTrue(plan.out().contains("No changes"), plan.toString());

        // In place: DNS hostnames off, second secondary block, tag value, default SG rule.
        StackFiles.write(dir, "s.json", stack(name, false, "\"10.31.0.0/16\", \"10.32.0.0/16\"", "b", "192.168.0.0/16"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("update", changes.get(0).get("action").asText());
        List<String> paths = changes.get(0).get("diff").findValuesAsText("path");
        assertTrue(paths.containsAll(List.of("dnsHostnames", "secondaryCidrs", "tags.team", "defaultSecurityGroup.ingress")), paths.toString());

        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        Vpc after = owned(ec2, name).get(0);
        assertEquals(vpc.vpcId(), after.vpcId(), "updated in place, not replaced");
        assertFalse(ec2.describeVpcAttribute(r -> r.vpcId(vpc.vpcId()).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES)).enableDnsHostnames().value());
        assertTrue(after.cidrBlockAssociationSet().stream().anyMatch(a -> a.cidrBlock().equals("10.32.0.0/16")));
        assertEquals("192.168.0.0/16", defaultGroup(ec2, vpc.vpcId()).ipPermissions().get(0).ipRanges().get(0).cidrIp());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // A primary CIDR change is a replacement.
        StackFiles.write(dir, "s.json", stack(name, false, "\"10.31.0.0/16\", \"10.32.0.0/16\"", "b", "192.168.0.0/16").replace("10.30.0.0/16", "10.40.0.0/16"));
        Cli.Result replace = Cli.run(api, REGION, "plan", f.toString());
        assertTrue(replace.out().contains("replace: cidr is create-only"), replace.toString());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
        assertEquals(1, ec2.describeVpcs(r -> r.vpcIds(handMade.vpcId())).vpcs().size(), "a VPC without netstack tags is untouched");
        ec2.deleteVpc(r -> r.vpcId(handMade.vpcId()));
    }

    static List<Vpc> owned(Ec2Client ec2, String stack) {
        return ec2.describeVpcs().vpcs().stream()
                .filter(v -> v.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack)))
                .toList();
    }

    static SecurityGroup defaultGroup(Ec2Client ec2, String vpcId) {
        return ec2.describeSecurityGroups(r -> r.filters(
                f -> f.name("vpc-id").values(vpcId), f -> f.name("group-name").values("default"))).securityGroups().get(0);
    }
}
