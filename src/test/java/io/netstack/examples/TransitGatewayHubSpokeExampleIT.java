package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRoute;

/**
 * Issue 3, Done-when 1, for {@code stacks/hub-spoke-tgw.json} — as a new user would run it, with
 * the plain CLI against moto: apply, then plan zero changes, then destroy to nothing owned.
 * Checked with the SDK in between: the spokes' table knows the hub and blackholes the spokes, the
 * hub's table learns both spokes, and every VPC routes the other side through the gateway.
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayHubSpokeExampleIT {
    static final String REGION = "eu-west-1";

    @Test
    void appliesPlansNothingAndDestroys(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("hub-spoke");
        Path f = StackFiles.copyExample(dir, "hub-spoke-tgw.json", name);
        Ec2Client ec2 = api.ec2(REGION);

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        Map<String, String> attachments = new TreeMap<>();
        ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments().stream()
                .filter(a -> owned(a.tags(), name) && "available".equals(a.stateAsString()))
                .forEach(a -> attachments.put(id(a.tags()), a.transitGatewayAttachmentId()));
        assertEquals(Set.of("hub-attachment", "spoke1-attachment", "spoke2-attachment"), attachments.keySet());
        Map<String, String> tables = new TreeMap<>();
        ec2.describeTransitGatewayRouteTables().transitGatewayRouteTables().stream()
                .filter(t -> owned(t.tags(), name) && !"deleted".equals(t.stateAsString()))
                .forEach(t -> tables.put(id(t.tags()), t.transitGatewayRouteTableId()));
        assertEquals(Set.of("hub-routes", "spoke-routes"), tables.keySet());

        assertEquals(Set.of(attachments.get("spoke1-attachment"), attachments.get("spoke2-attachment")), associations(ec2, tables.get("spoke-routes")));
        assertEquals(Set.of(attachments.get("hub-attachment")), associations(ec2, tables.get("hub-routes")));
        assertEquals(Set.of(attachments.get("hub-attachment")), propagations(ec2, tables.get("spoke-routes")));
        assertEquals(Set.of(attachments.get("spoke1-attachment"), attachments.get("spoke2-attachment")), propagations(ec2, tables.get("hub-routes")));
        Map<String, String> spokeRoutes = ec2.searchTransitGatewayRoutes(r -> r.transitGatewayRouteTableId(tables.get("spoke-routes"))
                        .filters(Filter.builder().name("type").values("static").build())).routes().stream()
                .collect(Collectors.toMap(TransitGatewayRoute::destinationCidrBlock, TransitGatewayRoute::stateAsString));
        assertEquals(Map.of("10.1.0.0/16", "blackhole", "10.2.0.0/16", "blackhole"), spokeRoutes, "spokes never reach each other");

        String tgw = ec2.describeTransitGateways().transitGateways().stream().filter(t -> owned(t.tags(), name) && !"deleted".equals(t.stateAsString()))
                .findFirst().orElseThrow().transitGatewayId();
        for (String rt : List.of("hub-rt", "spoke1-rt", "spoke2-rt")) {
            RouteTable t = vpcRouteTables(ec2, name).get(rt);
            assertTrue(t != null && t.routes().stream().anyMatch(r -> tgw.equals(r.transitGatewayId())), rt + " routes through the transit gateway");
        }

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(ec2.describeTransitGateways().transitGateways().stream().noneMatch(t -> owned(t.tags(), name) && !"deleted".equals(t.stateAsString())), "no gateway");
        assertTrue(ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments().stream()
                .noneMatch(a -> owned(a.tags(), name) && !"deleted".equals(a.stateAsString())), "no attachment");
        assertTrue(ec2.describeTransitGatewayRouteTables().transitGatewayRouteTables().stream()
                .noneMatch(t -> owned(t.tags(), name) && !"deleted".equals(t.stateAsString())), "no transit gateway route table");
        assertTrue(vpcRouteTables(ec2, name).isEmpty(), "no VPC route table");
        assertTrue(ec2.describeSubnets().subnets().stream().noneMatch(s -> owned(s.tags(), name)), "no subnet");
        assertTrue(ec2.describeVpcs().vpcs().stream().noneMatch(v -> owned(v.tags(), name)), "no VPC");
    }

    static boolean owned(List<Tag> tags, String stack) {
        return tags.stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack));
    }

    static String id(List<Tag> tags) {
        return tags.stream().filter(t -> t.key().equals("netstack:id")).map(Tag::value).findFirst().orElse(null);
    }

    static Map<String, RouteTable> vpcRouteTables(Ec2Client ec2, String stack) {
        return ec2.describeRouteTables().routeTables().stream().filter(t -> owned(t.tags(), stack))
                .collect(Collectors.toMap(t -> id(t.tags()), t -> t));
    }

    static Set<String> associations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTableAssociations(r -> r.transitGatewayRouteTableId(rtId)).associations().stream()
                .map(a -> a.transitGatewayAttachmentId()).collect(Collectors.toSet());
    }

    static Set<String> propagations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTablePropagations(r -> r.transitGatewayRouteTableId(rtId)).transitGatewayRouteTablePropagations().stream()
                .map(a -> a.transitGatewayAttachmentId()).collect(Collectors.toSet());
    }
}
