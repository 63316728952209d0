package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.provider.ec2.subnet.MotoSubnetOptionsProxy;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * stacks/quickstart-vpc.json (issue 11): a three-zone VPC in the style of the AWS VPC quick start
 * — DHCP options, a NAT gateway per zone with NAT64 routes, DNS64 on the private subnets, a
 * self-referencing cluster group, Name tags — validates, applies, plans zero changes, destroys to
 * nothing owned. Through {@link MotoSubnetOptionsProxy}: moto ignores DNS64.
 */
@ExtendWith(AwsApiExtension.class)
class QuickstartVpcExampleIT {
    static final String REGION = "eu-west-1";

    @Test
    void appliesPlansCleanAndDestroys(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("quickstart");
        Path f = StackFiles.copyExample(dir, "quickstart-vpc.json", name);
        try (MotoSubnetOptionsProxy proxy = new MotoSubnetOptionsProxy(api.endpoint()); Ec2Client ec2 = proxy.client(REGION)) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            assertEquals(0, Cli.run(env, "validate", f.toString()).exit());
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            Vpc vpc = ec2.describeVpcs(r -> r.filters(stack(name))).vpcs().get(0);
            assertEquals("quickstart", name(vpc.tags()));
            assertTrue(vpc.dhcpOptionsId().startsWith("dopt-"), "the VPC uses the stack's DHCP options: " + vpc.dhcpOptionsId());
            for (Subnet s : ec2.describeSubnets(r -> r.filters(stack(name))).subnets()) {
                String n = name(s.tags());
                assertEquals(n.startsWith("private-"), s.enableDns64(), n + " DNS64");
            }
            assertEquals(6, ec2.describeSubnets(r -> r.filters(stack(name))).subnets().size());
            // the default NACL is managed: AWS's allow-all entries for IPv4 (100) and IPv6 (101) in both directions
            var acl = ec2.describeNetworkAcls(r -> r.filters(Filter.builder().name("vpc-id").values(vpc.vpcId()).build(),
                    Filter.builder().name("default").values("true").build())).networkAcls().get(0);
            assertEquals(java.util.Set.of("in 100 0.0.0.0/0", "in 101 ::/0", "out 100 0.0.0.0/0", "out 101 ::/0"), acl.entries().stream()
                    .filter(e -> e.ruleNumber() < 32767)
                    .map(e -> (Boolean.TRUE.equals(e.egress()) ? "out " : "in ") + e.ruleNumber() + " " + (e.cidrBlock() != null ? e.cidrBlock() : e.ipv6CidrBlock()))
                    .collect(java.util.stream.Collectors.toSet()), acl.entries().toString());
            SecurityGroup cluster = ec2.describeSecurityGroups(r -> r.filters(stack(name), Filter.builder().name("tag:Name").values("cluster").build()))
                    .securityGroups().get(0);
            assertTrue(cluster.ipPermissions().stream().flatMap(p -> p.userIdGroupPairs().stream()).anyMatch(p -> p.groupId().equals(cluster.groupId())),
                    "the cluster group lets its own members in");

            Cli.Result plan = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(ec2.describeVpcs(r -> r.filters(stack(name))).vpcs().isEmpty(), "nothing owned left");
            assertTrue(ec2.describeSubnets(r -> r.filters(stack(name))).subnets().isEmpty());
            assertTrue(ec2.describeSecurityGroups(r -> r.filters(stack(name))).securityGroups().isEmpty());
            assertTrue(ec2.describeDhcpOptions().dhcpOptions().stream().noneMatch(d -> d.tags().stream()
                    .anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(name))));
        }
    }

    static String name(java.util.List<Tag> tags) {
        return tags.stream().filter(t -> t.key().equals("Name")).map(Tag::value).findFirst().orElse(null);
    }

    static Filter stack(String name) {
        return Filter.builder().name("tag:netstack:stack").values(name).build();
    }
}
