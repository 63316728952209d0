package io.netstack.provider.ec2.vpc;

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
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * Issue 11: the VPC's main route table and default NACL managed from the vpc block. Apply sets
 * the default NACL's entries (AWS's allow-all rule 100 replaced) and keeps the main table free of
 * routes; a route added to the main table by hand is drift and apply removes it; a route given in
 * {@code mainRouteTable} is created in place; destroy leaves nothing.
 */
@ExtendWith(AwsApiExtension.class)
class VpcMainTableAndDefaultAclIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String routes) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.71.0.0/16",
                         "mainRouteTable": { "routes": [%s] },
                         "defaultNetworkAcl": {
                           "ingress": [ { "rule": 100, "protocol": "tcp", "ports": "443", "cidr": "10.0.0.0/8", "action": "allow" } ],
                           "egress":  [ { "rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" } ] } }
              } }
            """.formatted(name, routes);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("vpc-defaults");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, ""));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        String vpcId = ec2.describeVpcs(r -> r.filters(tag(name))).vpcs().get(0).vpcId();

        List<NetworkAclEntry> ingress = entries(ec2, vpcId, false);
        assertEquals(1, ingress.size(), ingress.toString());
        assertEquals(100, ingress.get(0).ruleNumber());
        assertEquals("6", ingress.get(0).protocol());
        assertEquals(443, ingress.get(0).portRange().from());
        assertEquals("10.0.0.0/8", ingress.get(0).cidrBlock());
        List<NetworkAclEntry> egress = entries(ec2, vpcId, true);
        assertEquals(1, egress.size(), egress.toString());
        assertEquals("-1", egress.get(0).protocol());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // a route added by hand to the managed main table is drift; apply removes it
        String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
        try {
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            String main = mainTable(ec2, vpcId).routeTableId();
            ec2.createRoute(r -> r.routeTableId(main).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
            Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
            assertEquals(2, drift.exit(), drift.toString());
            JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
            // drift reports the route on vpc (an added list element is "unmanaged") and, separately, the hand-made gateway
            List<JsonNode> onVpc = new java.util.ArrayList<>();
            items.forEach(i -> { if ("vpc".equals(i.path("id").asText())) onVpc.add(i); });
            assertEquals(1, onVpc.size(), items.toString());
            assertEquals("mainRouteTable.routes", onVpc.get(0).get("path").asText());
            assertEquals(igw, onVpc.get(0).path("actual").path("target").asText(), items.toString());
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            assertTrue(igwRoutes(ec2, vpcId, igw).isEmpty(), "the hand-made route is removed");

            // a route the file gives is created in the main table, in place
            StackFiles.write(dir, "s.json", stack(name, "{ \"destination\": \"0.0.0.0/0\", \"target\": \"" + igw + "\" }"));
            Cli.Result changed = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, changed.exit(), changed.toString());
            assertEquals(1, igwRoutes(ec2, vpcId, igw).size());
            assertEquals(vpcId, ec2.describeVpcs(r -> r.filters(tag(name))).vpcs().get(0).vpcId(), "updated in place");
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        } finally {
            ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
        }
        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
        assertTrue(ec2.describeVpcs(r -> r.filters(tag(name))).vpcs().isEmpty());
    }

    @Test
    void badEntriesAndRoutesAreRefusedWithTheirLocation(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "vpcdefaultsbad", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.72.0.0/16",
                  "mainRouteTable": { "routes": [ { "destination": "10.0.0.0/33", "target": "igw-0abc" } ] },
                  "defaultNetworkAcl": { "ingress": [ { "rule": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" },
                                                      { "rule": 100, "protocol": "tcp", "ports": "80", "cidr": "0.0.0.0/0", "action": "allow" } ] } }
              } }
            """);
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(f.toString()) + ":4:\\d+: vpc: .*10\\.0\\.0\\.0/33.*"), r.toString());
        assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(f.toString()) + ":6:\\d+: vpc: duplicate defaultNetworkAcl/ingress rule number 100.*"), r.toString());
    }

    static List<NetworkAclEntry> entries(Ec2Client ec2, String vpcId, boolean egress) {
        NetworkAcl acl = ec2.describeNetworkAcls(r -> r.filters(filter("vpc-id", vpcId), filter("default", "true"))).networkAcls().get(0);
        return acl.entries().stream().filter(e -> Boolean.TRUE.equals(e.egress()) == egress && e.ruleNumber() < 32767).toList();
    }

    static RouteTable mainTable(Ec2Client ec2, String vpcId) {
        return ec2.describeRouteTables(r -> r.filters(filter("vpc-id", vpcId), filter("association.main", "true"))).routeTables().get(0);
    }

    static List<Route> igwRoutes(Ec2Client ec2, String vpcId, String igw) {
        return mainTable(ec2, vpcId).routes().stream().filter(r -> igw.equals(r.gatewayId())).toList();
    }

    static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    static Filter tag(String stack) {
        return filter("tag:netstack:stack", stack);
    }
}
