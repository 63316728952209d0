package io.netstack.drift;

import static io.netstack.testing.ItSupport.driftItems;
import static io.netstack.testing.ItSupport.idFilter;
import static io.netstack.testing.ItSupport.stackFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Issue 11, bug 5: a NAT gateway and the route to it both deleted by hand — the route is reported
 * too (a route removed alone always was). Five hand-made changes give five entries.
 */
@ExtendWith(AwsApiExtension.class)
class DriftNatAndRoutesIT {
    static final String REGION = "eu-west-1";

    @Test
    void aRouteDeletedWithItsNatIsReported(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("driftnat");
        Path f = StackFiles.copyExample(dir, "three-tier.json", name);
        Ec2Client ec2 = api.ec2(REGION);
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());

        String vpc = ec2.describeVpcs(r -> r.filters(stackFilter(name), idFilter("net-vpc"))).vpcs().get(0).vpcId();
        String web = ec2.describeSecurityGroups(r -> r.filters(stackFilter(name), idFilter("web"))).securityGroups().get(0).groupId();
        String appRtA = ec2.describeRouteTables(r -> r.filters(stackFilter(name), idFilter("net-private-rt-a"))).routeTables().get(0).routeTableId();
        String publicB = ec2.describeSubnets(r -> r.filters(stackFilter(name), idFilter("net-public-b"))).subnets().get(0).subnetId();
        String natA = ec2.describeNatGateways(r -> r.filter(stackFilter(name), idFilter("net-nat-a"))).natGateways().stream()
                .filter(n -> n.tags().stream().anyMatch(t -> t.key().equals("netstack:id") && t.value().equals("net-nat-a")))
                .filter(n -> !n.stateAsString().startsWith("delet")).findFirst().orElseThrow().natGatewayId();

        ec2.deleteNatGateway(r -> r.natGatewayId(natA));
        ec2.deleteRoute(r -> r.routeTableId(appRtA).destinationCidrBlock("0.0.0.0/0"));
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(web).ipPermissions(IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(x -> x.cidrIp("0.0.0.0/0")).build()));
        ec2.modifySubnetAttribute(r -> r.subnetId(publicB).mapPublicIpOnLaunch(b -> b.value(false)));
        String stray = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.99.0/24")).subnet().subnetId();

        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, drift.exit(), drift.toString());
        List<String> seen = driftItems(drift);
        assertEquals(5, seen.size(), "the five hand-made changes: " + seen);
        assertTrue(seen.contains("deleted net-nat-a -"), seen.toString());
        assertTrue(seen.contains("modified net-private-rt-a routes"), "the route removed with its NAT: " + seen);
        assertTrue(seen.contains("unmanaged web ingress"), seen.toString());
        assertTrue(seen.contains("modified net-public-b mapPublicIp"), seen.toString());
        assertTrue(seen.contains("unmanaged - -"), seen.toString());

        ec2.deleteSubnet(r -> r.subnetId(stray));
        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
    }


}
