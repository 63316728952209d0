package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * stacks/peering.json as a new user runs it (issue 3, Done-when 1): apply, plan zero changes,
 * destroy to nothing owned. Two VPCs peered (accepted at once, DNS resolution on both sides) with
 * routes both ways that target the peering.
 */
@ExtendWith(AwsApiExtension.class)
class PeeringExampleIT {
    static final String REGION = "eu-west-1";

    @Test
    void appliesPlansCleanAndDestroys(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("peering-example");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.copyExample(dir, "peering.json", name);

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertTrue(apply.out().contains("peeringStatus = active"), apply.toString());

        List<VpcPeeringConnection> pcxs = peerings(ec2, name);
        assertEquals(1, pcxs.size());
        VpcPeeringConnection pcx = pcxs.get(0);
        assertTrue(pcx.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
        assertTrue(pcx.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
        List<RouteTable> tables = ec2.describeRouteTables(r -> r.filters(stack(name))).routeTables();
        assertEquals(2, tables.size());
        for (RouteTable t : tables) {
            assertTrue(t.routes().stream().anyMatch(x -> pcx.vpcPeeringConnectionId().equals(x.vpcPeeringConnectionId())),
                    "route to the other VPC over the peering in " + t.routeTableId());
        }

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(peerings(ec2, name).isEmpty());
        assertTrue(ec2.describeRouteTables(r -> r.filters(stack(name))).routeTables().isEmpty());
        assertTrue(ec2.describeSecurityGroups(r -> r.filters(stack(name))).securityGroups().isEmpty());
        assertTrue(ec2.describeSubnets(r -> r.filters(stack(name))).subnets().isEmpty());
        assertTrue(ec2.describeVpcs(r -> r.filters(stack(name))).vpcs().isEmpty(), "nothing owned left");
    }

    static Filter stack(String name) {
        return Filter.builder().name("tag:netstack:stack").values(name).build();
    }

    /** moto ignores filters on this call and keeps deleted peerings: select here. */
    static List<VpcPeeringConnection> peerings(Ec2Client ec2, String name) {
        return ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
                .filter(p -> p.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(name)))
                .filter(p -> !Set.of("deleted", "rejected", "failed", "expired").contains(p.status().codeAsString()))
                .toList();
    }
}
